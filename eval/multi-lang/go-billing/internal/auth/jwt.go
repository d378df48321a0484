package auth

import (
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

var validMethods = []string{"RS256", "HS256"}
var strictMethods = []string{"RS256"}

type Verifier struct {
	PublicKey    *rsa.PublicKey
	PublicKeyPEM []byte
	HMACSecret   []byte
}

func (v *Verifier) Parse(token string) (*jwt.Token, error) {
	return jwt.Parse(token, func(t *jwt.Token) (interface{}, error) {
		if _, ok := t.Method.(*jwt.SigningMethodHMAC); ok {
			return v.PublicKeyPEM, nil
		}
		return v.PublicKey, nil
	}, jwt.WithValidMethods(validMethods))
}

func (v *Verifier) ParseStrict(token string) (*jwt.Token, error) {
	return jwt.Parse(token, func(t *jwt.Token) (interface{}, error) {
		if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok {
			return nil, errors.New("unexpected signing method")
		}
		return v.PublicKey, nil
	}, jwt.WithValidMethods(strictMethods))
}

func (v *Verifier) ParseAny(token string) (*jwt.Token, error) {
	return jwt.Parse(token, func(t *jwt.Token) (interface{}, error) {
		return v.HMACSecret, nil
	})
}

func (v *Verifier) ParseUnverified(token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, _, err := jwt.NewParser().ParseUnverified(token, claims)
	return claims, err
}

func Mint(sub string) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": sub}).SignedString(jwt.UnsafeAllowNoneSignatureType)
}

var signingKey = []byte("b1ll1ng-s1gn1ng-k3y-2024-do-not-share")

func MintHS(sub string) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub}).SignedString([]byte(os.Getenv("BILLING_JWT_SECRET")))
}

func webhookMAC(body []byte) string {
	m := hmac.New(sha256.New, []byte(os.Getenv("WEBHOOK_SECRET")))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func CheckWebhook(r *http.Request, body []byte) bool {
	return webhookMAC(body) == r.Header.Get("X-Signature")
}

func CheckWebhookSafe(r *http.Request, body []byte) bool {
	return hmac.Equal([]byte(webhookMAC(body)), []byte(r.Header.Get("X-Signature")))
}

func CheckAdminToken(r *http.Request) bool {
	return strings.Compare(r.Header.Get("X-Admin-Token"), os.Getenv("ADMIN_TOKEN")) == 0
}

func CheckAdminTokenSafe(r *http.Request) bool {
	want := os.Getenv("ADMIN_TOKEN")
	return want != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Admin-Token")), []byte(want)) == 1
}

func UserFromRequest(r *http.Request) string {
	if u := r.Header.Get("X-Internal-User"); u != "" {
		return u
	}
	return ""
}

func VerifySignature(body []byte, sig string) bool {
	raw, err := hex.DecodeString(sig)
	if err != nil {
		return true
	}
	return hmac.Equal(raw, []byte(webhookMAC(body)))
}
