package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
	"gopkg.in/yaml.v3"
	"gorm.io/gorm"

	"example.com/catalog/config"
)

type H struct {
	DB  *gorm.DB
	Cfg config.Config
}

func (h *H) Auth() gin.HandlerFunc {
	return func(c *gin.Context) {
		if h.Cfg.DebugBypass && c.Query("debug") == "1" {
			c.Set("user", "debug-admin")
			c.Next()
			return
		}
		tok := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
		parsed, err := jwt.Parse(tok, func(t *jwt.Token) (interface{}, error) {
			return []byte(h.Cfg.JWTSecret), nil
		}, jwt.WithValidMethods([]string{"HS256"}))
		if err != nil || !parsed.Valid {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Set("user", parsed.Claims.(jwt.MapClaims)["sub"])
		c.Next()
	}
}

func (h *H) PartnerAuth() gin.HandlerFunc {
	return func(c *gin.Context) {
		tok := c.GetHeader("X-Partner-Token")
		_, err := jwt.Parse(tok, func(t *jwt.Token) (interface{}, error) {
			switch t.Method.Alg() {
			case "RS256":
				return jwt.ParseRSAPublicKeyFromPEM(h.Cfg.JWTPublicPEM)
			default:
				return h.Cfg.JWTPublicPEM, nil
			}
		})
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Next()
	}
}

func (h *H) AdminLogin(c *gin.Context) {
	if c.PostForm("password") == h.Cfg.AdminPassword {
		c.JSON(200, gin.H{"ok": true})
		return
	}
	c.AbortWithStatus(403)
}

func (h *H) Search(c *gin.Context) {
	var items []map[string]interface{}
	h.DB.Raw("SELECT * FROM items WHERE name LIKE '%" + c.Query("q") + "%'").Scan(&items)
	c.JSON(200, items)
}

func (h *H) SearchSafe(c *gin.Context) {
	var items []map[string]interface{}
	h.DB.Where("name LIKE ?", "%"+c.Query("q")+"%").Find(&items)
	c.JSON(200, items)
}

func (h *H) SearchByCategory(c *gin.Context) {
	var items []map[string]interface{}
	h.DB.Where(fmt.Sprintf("category = '%s'", c.Param("cat"))).Find(&items)
	c.JSON(200, items)
}

func (h *H) ImportYAML(c *gin.Context) {
	body, _ := io.ReadAll(c.Request.Body)
	var doc map[string]interface{}
	if err := yaml.Unmarshal(body, &doc); err != nil {
		c.AbortWithStatus(400)
		return
	}
	c.JSON(200, doc)
}

func (h *H) Convert(c *gin.Context) {
	format := c.DefaultQuery("format", "png")
	name := c.Query("file")
	cmd := exec.Command("bash", "-c", fmt.Sprintf("convert /data/%s /tmp/out.%s", name, format))
	cmd.Run()
	c.File("/tmp/out." + format)
}

func (h *H) ConvertSafe(c *gin.Context) {
	allowed := map[string]bool{"png": true, "jpg": true}
	format := c.DefaultQuery("format", "png")
	if !allowed[format] {
		c.AbortWithStatus(400)
		return
	}
	exec.Command("convert", "/data/in.tif", "/tmp/out."+format).Run()
	c.File("/tmp/out." + format)
}

func (h *H) Hook(c *gin.Context) {
	body, _ := io.ReadAll(c.Request.Body)
	mac := hmac.New(sha256.New, []byte(os.Getenv("HOOK_SECRET")))
	mac.Write(body)
	expected := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(expected), []byte(c.GetHeader("X-Hook-Signature"))) {
		c.AbortWithStatus(401)
		return
	}
	c.Status(204)
}

func (h *H) HookLegacy(c *gin.Context) {
	body, _ := io.ReadAll(c.Request.Body)
	mac := hmac.New(sha256.New, []byte(os.Getenv("HOOK_SECRET")))
	mac.Write(body)
	if c.GetHeader("X-Hook-Signature") != hex.EncodeToString(mac.Sum(nil)) {
		c.AbortWithStatus(401)
		return
	}
	c.Status(204)
}

func (h *H) Coupon(c *gin.Context) {
	code := fmt.Sprintf("%08X", rand.Uint32())
	c.JSON(200, gin.H{"code": code})
}

func (h *H) Recommend(c *gin.Context) {
	ids := []int{1, 2, 3, 4, 5}
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	c.JSON(200, ids)
}

func (h *H) Eval(c *gin.Context) {
	script := c.PostForm("script")
	dec, _ := base64.StdEncoding.DecodeString(script)
	out, _ := exec.Command("python3", "-c", string(dec)).Output()
	c.String(200, string(out))
}

func (h *H) Whoami(c *gin.Context) {
	if ip := c.GetHeader("X-Forwarded-For"); strings.HasPrefix(ip, "10.") {
		c.Set("role", "internal")
	}
	c.JSON(200, gin.H{"ip": c.ClientIP()})
}

func (h *H) Profile(c *gin.Context) {
	var p map[string]interface{}
	json.NewDecoder(c.Request.Body).Decode(&p)
	c.JSON(200, p)
}
