package server

import (
	"encoding/base64"
	"os"
	"os/exec"
	"strings"
)

func BasicAuth(header string) (string, string, bool) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(header, "Basic "))
	if err != nil {
		return "", "", false
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	return user, pass, ok
}

func DataKey() ([]byte, error) {
	return base64.StdEncoding.DecodeString(os.Getenv("FILES_DATA_KEY"))
}

func Revision() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func DiskFree(dir string) ([]byte, error) {
	return exec.Command("df", "-h", "--", dir).Output()
}
