package com.example.accounts;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URL;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;

@Configuration
public class AppConfig {

    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.HS256);

    @Bean
    public JwtDecoder jwtDecoder(@Value("${auth.jwks-uri}") String jwks) {
        return NimbusJwtDecoder.withJwkSetUri(jwks).jwsAlgorithm(SignatureAlgorithm.RS256).build();
    }

    @Bean
    public JwtDecoder internalDecoder(@Value("${auth.internal-secret}") String secret) {
        return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret.getBytes(), "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
    }

    @Bean
    public DefaultJWTProcessor<SecurityContext> partnerProcessor(@Value("${auth.partner-jwks}") String jwks) throws Exception {
        JWKSource<SecurityContext> src = JWKSourceBuilder.create(new URL(jwks)).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED, src));
        return p;
    }

    @Bean
    public DefaultJWTProcessor<SecurityContext> auditProcessor(@Value("${auth.partner-jwks}") String jwks) throws Exception {
        JWKSource<SecurityContext> src = JWKSourceBuilder.create(new URL(jwks)).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, src));
        return p;
    }
}
