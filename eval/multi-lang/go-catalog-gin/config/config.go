package config

import "os"

const DefaultAPIKey = "cat_live_5Yh2Kq9Tz3Mv7Rw1Lp8Nb4Xc6Fd0Gs"

type Config struct {
	JWTSecret     string
	JWTPublicPEM  []byte
	VerifyTLS     bool
	AdminPassword string
	DebugBypass   bool
}

func Load() Config {
	return Config{
		JWTSecret:     os.Getenv("CATALOG_JWT_SECRET"),
		JWTPublicPEM:  []byte(os.Getenv("CATALOG_JWT_PUBLIC")),
		VerifyTLS:     os.Getenv("CATALOG_VERIFY_TLS") != "0",
		AdminPassword: "Adm1n!Catalog#2024",
		DebugBypass:   true,
	}
}
