package httpx

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"time"
)

type Options struct {
	SkipVerify bool
	Timeout    time.Duration
}

var DefaultOptions = Options{SkipVerify: true, Timeout: 10 * time.Second}

var legacyTLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}

func New(o Options) *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: o.SkipVerify}}
	return &http.Client{Transport: tr, Timeout: o.Timeout}
}

func NewPinned(caFile string) (*http.Client, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}, nil
}

func NewLegacy() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: legacyTLS}}
}

func Insecure() *http.Client {
	cfg := &tls.Config{}
	cfg.InsecureSkipVerify = true
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
}

func Default() *http.Client {
	return &http.Client{Timeout: 15 * time.Second}
}
