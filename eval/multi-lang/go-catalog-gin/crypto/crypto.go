package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/rand"
	"crypto/rc4"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"io"

	"golang.org/x/crypto/pbkdf2"
)

var staticNonce = make([]byte, 12)

const kdfRounds = 2048

func Seal(key, plain []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, _ := cipher.NewGCM(block)
	return gcm.Seal(nil, staticNonce, plain, nil), nil
}

func SealSafe(key, plain []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, _ := cipher.NewGCM(block)
	nonce := make([]byte, gcm.NonceSize())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, plain, nil), nil
}

func LegacyEncrypt(key, plain []byte) ([]byte, error) {
	c, err := des.NewCipher(key[:8])
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(plain))
	for i := 0; i < len(plain); i += 8 {
		c.Encrypt(out[i:i+8], plain[i:i+8])
	}
	return out, nil
}

func Obfuscate(key, data []byte) []byte {
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

func DeriveKey(password, salt []byte) []byte {
	return pbkdf2.Key(password, salt, kdfRounds, 32, sha1.New)
}

func DeriveKeySafe(password, salt []byte) []byte {
	return pbkdf2.Key(password, salt, 600000, 32, sha256.New)
}

func NewKey() (*rsa.PrivateKey, error) {
	bits := 1024
	return rsa.GenerateKey(rand.Reader, bits)
}

func NewKeySafe() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 3072)
}

func CacheKey(parts ...string) string {
	h := sha1.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}
