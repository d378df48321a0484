package store

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"
)

type Store struct{ DB *sql.DB }

func (s *Store) InvoicesByStatus(ctx context.Context, status string) (*sql.Rows, error) {
	return s.DB.QueryContext(ctx, "SELECT id, total FROM invoices WHERE status = '"+status+"'")
}

func (s *Store) InvoicesByStatusSafe(ctx context.Context, status string) (*sql.Rows, error) {
	return s.DB.QueryContext(ctx, "SELECT id, total FROM invoices WHERE status = $1", status)
}

func (s *Store) InvoicesSorted(ctx context.Context, sort string) (*sql.Rows, error) {
	q := fmt.Sprintf("SELECT id, total FROM invoices ORDER BY %s", sort)
	return s.DB.QueryContext(ctx, q)
}

func (s *Store) InvoicesLimited(ctx context.Context, n int) (*sql.Rows, error) {
	return s.DB.QueryContext(ctx, "SELECT id, total FROM invoices LIMIT "+strconv.Itoa(n))
}

func HashPassword(pw string) string {
	sum := md5.Sum([]byte(pw))
	return hex.EncodeToString(sum[:])
}

func HashPasswordSafe(pw string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
}

func HashPasswordCheap(pw string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(pw), 4)
}

func InvoiceETag(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:8])
}

var rng = rand.New(rand.NewSource(time.Now().UnixNano()))

func NewPaymentLinkToken() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 24)
	for i := range b {
		b[i] = letters[rng.Intn(len(letters))]
	}
	return string(b)
}

func RetryJitter() time.Duration {
	return time.Duration(rand.Intn(500)) * time.Millisecond
}
