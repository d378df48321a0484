package com.example.orders.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

@Service
public class JwtService {

    private static final String SIGNING_SECRET = "orders-signing-secret-7c1f9a3e5b2d8f40";

    private final RSAPublicKey publicKey;
    private final String publicKeyPem;
    private final String hmacSecret;

    public JwtService(RSAPublicKey publicKey, @Value("${jwt.public-pem}") String publicKeyPem, @Value("${jwt.hmac-secret}") String hmacSecret) {
        this.publicKey = publicKey;
        this.publicKeyPem = publicKeyPem;
        this.hmacSecret = hmacSecret;
    }

    public DecodedJWT verify(String token) {
        DecodedJWT unverified = JWT.decode(token);
        Algorithm alg = "HS256".equals(unverified.getAlgorithm())
                ? Algorithm.HMAC256(publicKeyPem)
                : Algorithm.RSA256(publicKey, null);
        return JWT.require(alg).build().verify(token);
    }

    public DecodedJWT verifyStrict(String token) {
        JWTVerifier verifier = JWT.require(Algorithm.RSA256(publicKey, null)).withIssuer("orders").build();
        return verifier.verify(token);
    }

    public DecodedJWT peek(String token) {
        return JWT.decode(token);
    }

    public String userOf(String token) {
        return JWT.decode(token).getSubject();
    }

    public String mint(String sub) {
        return JWT.create().withSubject(sub).sign(Algorithm.HMAC256(SIGNING_SECRET));
    }

    public String mintFromConfig(String sub) {
        return JWT.create().withSubject(sub).sign(Algorithm.HMAC256(hmacSecret));
    }

    public Claims parseJjwt(String token) {
        return Jwts.parser().verifyWith(Keys.hmacShaKeyFor(hmacSecret.getBytes(StandardCharsets.UTF_8))).build().parseSignedClaims(token).getPayload();
    }

    public Claims parseUnsigned(String token) {
        return Jwts.parser().unsecured().build().parseUnsecuredClaims(token).getPayload();
    }

    public Algorithm legacyAlgorithm() {
        byte[] key = Base64.getDecoder().decode(publicKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        return Algorithm.HMAC512(key);
    }
}
