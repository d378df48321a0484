package store

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand"
)

func NewAPIKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "bk_" + base64.RawURLEncoding.EncodeToString(b), nil
}

func NewOTP() string {
	return fmt.Sprintf("%06d", mrand.Intn(1000000))
}

func ShuffleSample(ids []int) []int {
	mrand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids
}
