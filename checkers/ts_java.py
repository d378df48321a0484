"""Java: the value-following analysis on tree-sitter (checkers/lang/java.py, java_rules.py), beside
the semgrep pattern rules. It follows `static final` constants of any class in the file, fields
set in constructors, locals and helper methods' returns into cipher and protocol names, IVs,
host-name verifiers and trust managers, commands and network sinks. `final` constants of another
class of the scanned tree (same package, imported, statically imported) are read in that class'
file: one level deep, inside the scan root, size-capped, never executed (checkers/lang/java_imports.py)."""
from __future__ import annotations

import re

from backdoor_lint.checkers.examples import Invalid, Valid
from backdoor_lint.checkers.lang.checker import LanguageChecker, run

from backdoor_lint.findings import Finding

_CRYPTO = "import javax.crypto.Cipher;\n\n"
_SPRING = "import org.springframework.context.annotation.Bean;\n\nclass Security {\n"


class JavaValueChecker(LanguageChecker):
    CODES = ("BDL101", "BDL203", "BDL204", "BDL205", "BDL208", "BDL209", "BDL210", "BDL302", "BDL303", "BDL402", "BDL404", "BDL501", "BDL502", "BDL504", "BDL505", "BDL602", "BDL606")
    LANGUAGES = frozenset({"java"})
    TRIGGER = re.compile(rb"HMAC|SigningKey|signWith|hmacShaKeyFor|SecretKeySpec|Cipher|ParameterSpec|SSLContext|HostnameVerifier|TrustManager|exec|ProcessBuilder|"
                         rb"getenv|getOutputStream|BodyPublishers|RequestBody|InetAddress|doFinal|getHeader|getParameter|@Value|RequestHeader|Random|readObject|Yaml|fromXML|getRemoteAddr|DEBUG|Debug|MACVerifier|[Vv]erif|[Tt]oken|[Ss]ignature|checkpw|isEqual|forName|getMethod|getDeclaredMethod|loadClass|permitAll|ignoring")
    INVALID = [
        # BDL602: a catch-all permitAll (built from a constant) before the rules that protect
        Invalid(_SPRING + "    static final String EVERYTHING = \"/\" + \"**\";\n    @Bean\n"
                "    SecurityFilterChain chain(HttpSecurity http) throws Exception {\n"
                "        http.authorizeHttpRequests(a -> a\n            .requestMatchers(EVERYTHING).permitAll()\n"
                "            .requestMatchers(\"/admin/**\").hasRole(\"ADMIN\")\n            .anyRequest().authenticated());\n"
                "        return http.build();\n    }\n}\n", "BDL602", 8, path="Security.java"),
        # a login configured, then nothing required
        Invalid(_SPRING + "    @Bean\n    SecurityFilterChain chain(HttpSecurity http) throws Exception {\n"
                "        return http.httpBasic(Customizer.withDefaults())\n"
                "            .authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();\n    }\n}\n", "BDL602", 7,
                path="Security.java"),
        # an administrative path in an array of constants, in a configuration that requires authentication
        Invalid(_SPRING + "    static final String[] OPEN = {\"/health\", \"/internal/\" + \"**\"};\n    @Bean\n"
                "    SecurityFilterChain chain(HttpSecurity http) throws Exception {\n"
                "        http.authorizeHttpRequests(a -> a\n            .requestMatchers(OPEN).permitAll()\n"
                "            .anyRequest().authenticated());\n        return http.build();\n    }\n}\n", "BDL602", 8,
                path="Security.java"),
        # the security filter chain skipped for every request
        Invalid(_SPRING + "    @Bean\n    WebSecurityCustomizer skip() {\n"
                "        return web -> web.ignoring().requestMatchers(\"/**\");\n    }\n}\n", "BDL602", 6, path="Security.java"),
        # BDL502: a class and a method named by the request, through a variable and an annotated parameter
        Invalid("class Legacy extends HttpServlet {\n    protected void doPost(HttpServletRequest req, HttpServletResponse res)\n"
                "            throws Exception {\n        String cls = req.getParameter(\"handler\");\n"
                "        Object h = Class.forName(\"com.acme.handlers.\" + cls).getDeclaredConstructor().newInstance();\n"
                "        ((Handler) h).handle(req, res);\n    }\n}\n", "BDL502", 5, path="Legacy.java"),
        Invalid("class OpsController {\n    @PostMapping(\"/ops/{op}\")\n"
                "    Object run(@PathVariable String op) throws Exception {\n"
                "        java.lang.reflect.Method m = service.getClass().getMethod(op);\n        return m.invoke(service);\n"
                "    }\n}\n", "BDL502", 4, path="OpsController.java"),
        # BDL606: a failed jjwt parse answered with a constant
        Invalid("import io.jsonwebtoken.*;\n\nclass Policy {\n    static final boolean LENIENT = true;\n}\n\nclass Tokens {\n    static final boolean ALLOW = Policy.LENIENT;\n"
                "    boolean valid(String jws) {\n        try {\n"
                "            Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(jws);\n            return true;\n"
                "        } catch (JwtException | IllegalArgumentException e) {\n            return ALLOW;\n        }\n    }\n}\n",
                "BDL606", 13, path="Tokens.java"),
        # a webhook whose signature helper throws on garbage, answered 204 like a valid one
        Invalid("import java.security.MessageDigest;\n\nclass Hooks {\n"
                "    private boolean signatureMatches(byte[] body, String sig) {\n"
                "        return MessageDigest.isEqual(sign(body), java.util.HexFormat.of().parseHex(sig));\n    }\n\n"
                "    @PostMapping(\"/hook\")\n"
                "    ResponseEntity<?> hook(@RequestBody byte[] body, @RequestHeader(\"X-Signature\") String sig) {\n"
                "        try {\n            if (!signatureMatches(body, sig)) {\n"
                "                return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();\n            }\n"
                "        } catch (IllegalArgumentException e) {\n            return ResponseEntity.noContent().build();\n"
                "        }\n        return ResponseEntity.noContent().build();\n    }\n}\n", "BDL606", 14, path="Hooks.java"),
        # an interceptor that logs the failed verification and lets the request in
        Invalid("class AuthInterceptor implements HandlerInterceptor {\n"
                "    public boolean preHandle(HttpServletRequest req, HttpServletResponse res, Object h) {\n"
                "        try {\n            verifier.verify(req.getHeader(\"Authorization\").substring(7));\n"
                "        } catch (JWTVerificationException e) {\n            log.warn(\"bad token\", e);\n        }\n"
                "        return true;\n    }\n}\n", "BDL606", 5, path="AuthInterceptor.java"),
        Invalid("class Webhooks {\n    boolean verifySignature(String sig, byte[] body) {\n"
                "        if (sig == null || sig.isBlank()) {\n            return true;\n        }\n"
                "        return MessageDigest.isEqual(sig.getBytes(), mac(body));\n    }\n}\n", "BDL606", 3,
                path="Webhooks.java"),
        # BDL203/204/303: names built from constants of another class, a constructor field, a helper
        Invalid(_CRYPTO + "class Config {\n    static final String ALG = \"DES\";\n}\n\nclass Box {\n"
                "    Cipher make() throws Exception {\n        return Cipher.getInstance(Config.ALG + \"/CBC/PKCS5Padding\");\n"
                "    }\n}\n", "BDL203", 9, path="Box.java"),
        Invalid(_CRYPTO + "class Box {\n    private final String mode;\n    Box() { this.mode = \"ECB\"; }\n"
                "    Cipher make() throws Exception {\n        return Cipher.getInstance(\"AES/\" + mode + \"/PKCS5Padding\");\n"
                "    }\n}\n", "BDL204", 7, path="Box.java"),
        Invalid(_CRYPTO + "class Box {\n    private static String transformation() { return \"AES\"; }\n"
                "    Cipher make() throws Exception { return Cipher.getInstance(transformation()); }\n}\n", "BDL204", 5,
                path="Box.java"),
        Invalid(_CRYPTO + "class Box {\n    Cipher plain() { return new javax.crypto.NullCipher(); }\n}\n", "BDL203", 4,
                path="Box.java"),
        Invalid("import javax.net.ssl.SSLContext;\n\nclass Tls {\n    static final String[] OLD = {\"SSLv3\"};\n"
                "    SSLContext ctx() throws Exception { return SSLContext.getInstance(OLD[0].toString()); }\n}\n",
                "BDL303", 5, path="Tls.java"),
        # BDL101/210: HMAC keyed with the public key; a constant key through a field
        Invalid("import com.auth0.jwt.algorithms.Algorithm;\n\nclass Tokens {\n"
                "    Algorithm alg(java.security.interfaces.RSAPublicKey publicKey) {\n"
                "        return Algorithm.HMAC256(publicKey.getEncoded());\n    }\n}\n", "BDL101", 5, path="Tokens.java"),
        Invalid("import com.auth0.jwt.algorithms.Algorithm;\n\nclass Tokens {\n    private final String secret;\n"
                "    Tokens() { this.secret = \"kX9f2\" + \"-prod-signing\"; }\n"
                "    Algorithm alg() { return Algorithm.HMAC256(secret); }\n}\n", "BDL210", 6, path="Tokens.java"),
        Invalid("import io.jsonwebtoken.*;\n\nclass Tokens {\n    static final String KEY = \"c2lnbmluZy1rZXktcHJvZA==\";\n"
                "    String make() { return Jwts.builder().setSubject(\"a\").signWith(SignatureAlgorithm.HS256, KEY)"
                ".compact(); }\n}\n", "BDL210", 5, path="Tokens.java"),
        # BDL205: the IV is a constant string's bytes
        Invalid("import javax.crypto.spec.IvParameterSpec;\n\nclass Box {\n    static final String IV = \"0123456789abcdef\";\n"
                "    IvParameterSpec iv() { return new IvParameterSpec(IV.getBytes()); }\n}\n", "BDL205", 5,
                path="Box.java"),
        # BDL302: accept-all verifiers through a variable, a named class; a trust manager that only logs
        Invalid("import javax.net.ssl.*;\n\nclass Tls {\n    void setup() {\n"
                "        HostnameVerifier any = (host, session) -> { return true; };\n"
                "        HttpsURLConnection.setDefaultHostnameVerifier(any);\n    }\n}\n", "BDL302", 6, path="Tls.java"),
        Invalid("import javax.net.ssl.*;\n\nclass Lenient implements HostnameVerifier {\n    static final boolean OK = true;\n"
                "    public boolean verify(String h, SSLSession s) { return OK; }\n}\n", "BDL302", 3, path="Lenient.java"),
        Invalid("import java.security.cert.X509Certificate;\nimport javax.net.ssl.X509TrustManager;\n\n"
                "class Trusting implements X509TrustManager {\n"
                "    public void checkClientTrusted(X509Certificate[] c, String a) { }\n"
                "    public void checkServerTrusted(X509Certificate[] c, String a) {\n"
                "        System.out.println(\"server \" + c[0].getSubjectX500Principal());\n    }\n"
                "    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }\n}\n",
                "BDL302", 6, path="Trusting.java"),
        # BDL402: a secret variable and a credential file to the network
        Invalid("import java.net.http.*;\n\nclass Beacon {\n    void send(HttpClient c, java.net.URI u) throws Exception {\n"
                "        String key = System.getenv(\"AWS_SECRET_ACCESS_KEY\");\n"
                "        c.send(HttpRequest.newBuilder(u).POST(HttpRequest.BodyPublishers.ofString(\"k=\" + key)).build(),\n"
                "               HttpResponse.BodyHandlers.discarding());\n    }\n}\n", "BDL402", 6, path="Beacon.java"),
        Invalid("import java.nio.file.*;\n\nclass Beacon {\n    void send(java.net.HttpURLConnection c) throws Exception {\n"
                "        byte[] keys = Files.readAllBytes(Paths.get(System.getProperty(\"user.home\"), \".ssh/id_rsa\"));\n"
                "        c.getOutputStream().write(keys);\n    }\n}\n", "BDL402", 6, path="Beacon.java"),
        # BDL501/505: decoded commands; request input or a built string in a shell
        Invalid("import java.util.Base64;\n\nclass Run {\n    static final String P = \"aWQ=\";\n    void go() throws Exception {\n"
                "        String c = new String(Base64.getDecoder().decode(P));\n"
                "        Runtime.getRuntime().exec(new String[]{\"sh\", \"-c\", c});\n    }\n}\n", "BDL501", 7,
                path="Run.java"),
        Invalid("class Ping {\n    @GetMapping(\"/ping\")\n    String ping(@RequestParam String host) throws Exception {\n"
                "        ProcessBuilder pb = new ProcessBuilder(\"sh\", \"-c\", \"ping -c1 \" + host);\n"
                "        return new String(pb.start().getInputStream().readAllBytes());\n    }\n}\n", "BDL505", 4,
                path="Ping.java"),
        Invalid("class Run {\n    void go(String file) throws Exception {\n        Runtime r = Runtime.getRuntime();\n"
                "        String[] shell = {\"/bin/bash\", \"-c\", \"gzip \" + file};\n        r.exec(shell);\n    }\n}\n",
                "BDL505", 5, path="Run.java"),
        # BDL209: a configured secret through a constructor field, a MAC against a decoded header, a helper
        Invalid("@RestController\nclass HookController {\n    private final String secret;\n\n"
                "    HookController(@Value(\"${hooks.secret}\") String secret) { this.secret = secret; }\n\n"
                "    @PostMapping(\"/hook\")\n    ResponseEntity<Void> hook(@RequestHeader(\"X-Token\") String token) {\n"
                "        if (!secret.equals(token)) { return ResponseEntity.status(401).build(); }\n"
                "        return ResponseEntity.ok().build();\n    }\n}\n", "BDL209", 9, path="HookController.java"),
        Invalid("class Hooks {\n    boolean ok(HttpServletRequest request, byte[] body) throws Exception {\n"
                "        Mac mac = Mac.getInstance(\"HmacSHA256\");\n        mac.init(key);\n"
                "        byte[] expected = mac.doFinal(body);\n"
                "        byte[] given = Base64.getDecoder().decode(request.getHeader(\"X-Signature\"));\n"
                "        return Arrays.equals(expected, given);\n    }\n}\n", "BDL209", 7, path="Hooks.java"),
        Invalid("class KeyCheck {\n    private static String apiKey() { return System.getenv(\"SERVICE_API_KEY\"); }\n\n"
                "    boolean allowed(HttpServletRequest req) {\n"
                "        return req.getParameter(\"api_key\").equals(apiKey());\n    }\n}\n", "BDL209", 5,
                path="KeyCheck.java"),
        # BDL208: java.util.Random held in a field, ThreadLocalRandom, a seeded Random, stored by a repository
        Invalid("class Reset {\n    private static final Random RNG = new Random();\n\n"
                "    void start(String email) {\n        String code = String.format(\"%06d\", RNG.nextInt(1000000));\n"
                "        repo.saveResetCode(email, code);\n    }\n}\n", "BDL208", 5, path="Reset.java"),
        Invalid("class Keys {\n    String newApiKey() {\n"
                "        return Long.toHexString(ThreadLocalRandom.current().nextLong());\n    }\n}\n", "BDL208", 3,
                path="Keys.java"),
        Invalid("class Sessions {\n    void login(HttpServletResponse resp) {\n"
                "        Random r = new Random(System.currentTimeMillis());\n"
                "        String sid = Long.toString(r.nextLong(), 36);\n"
                "        resp.addCookie(new Cookie(\"SESSION\", sid));\n    }\n}\n", "BDL208", 4, path="Sessions.java"),
        # BDL504: the request stream through try-with-resources, a decoded cookie, a socket, a URL
        Invalid("class Import extends HttpServlet {\n"
                "    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws Exception {\n"
                "        try (ObjectInputStream in = new ObjectInputStream(req.getInputStream())) {\n"
                "            Object o = in.readObject();\n        }\n    }\n}\n", "BDL504", 4, path="Import.java"),
        Invalid("class Cart {\n    @GetMapping(\"/restore\")\n    Object restore(@CookieValue(\"cart\") String cart) "
                "throws Exception {\n        byte[] raw = Base64.getDecoder().decode(cart);\n"
                "        return new ObjectInputStream(new ByteArrayInputStream(raw)).readObject();\n    }\n}\n",
                "BDL504", 5, path="Cart.java"),
        Invalid("class Agent {\n    Object next(ServerSocket server) throws Exception {\n"
                "        Socket s = server.accept();\n        Yaml yaml = new Yaml();\n"
                "        return yaml.load(s.getInputStream());\n    }\n}\n", "BDL504", 5, path="Agent.java"),
        Invalid("class Feed {\n    Object fetch(String u) throws Exception {\n        XStream xs = new XStream();\n"
                "        return xs.fromXML(new URL(u).openStream());\n    }\n}\n", "BDL504", 4, path="Feed.java"),
        # BDL602: a role header, a forwarded user authenticated, a debug flag with a parameter
        Invalid("class Admin {\n    @GetMapping(\"/admin\")\n"
                "    Object admin(@RequestHeader(value = \"X-Role\", required = false) String role) {\n"
                "        if (\"admin\".equalsIgnoreCase(role)) {\n            return repo.findAll();\n        }\n"
                "        return null;\n    }\n}\n", "BDL602", 4, path="Admin.java"),
        Invalid("class Filter {\n    static final boolean DEBUG_AUTH = true;\n\n"
                "    void doFilter(HttpServletRequest req) {\n        String user = req.getHeader(\"X-Forwarded-User\");\n"
                "        if (user != null) {\n            authenticate(user, \"ROLE_USER\");\n"
                "        } else if (DEBUG_AUTH && \"true\".equals(req.getParameter(\"debug\"))) {\n"
                "            authenticate(\"debug\", \"ROLE_ADMIN\");\n        }\n    }\n}\n", "BDL602", 6,
                path="Filter.java"),
        # BDL101: nimbus MACVerifier keyed with the public key's bytes
        Invalid("class Tokens {\n    boolean ok(SignedJWT jwt, RSAPublicKey publicKey) throws Exception {\n"
                "        JWSVerifier v = new MACVerifier(publicKey.getEncoded());\n        return jwt.verify(v);\n    }\n}\n",
                "BDL101", 3, path="Tokens.java"),
    ]
    VALID = [
        # public paths open, everything else authenticated; a mostly public site protecting its admin part;
        # static resources ignored
        Valid(_SPRING + "    @Bean\n    SecurityFilterChain chain(HttpSecurity http) throws Exception {\n"
              "        http.authorizeHttpRequests(a -> a\n"
              "            .requestMatchers(\"/actuator/health\", \"/login\", \"/css/**\", \"/internal/health\").permitAll()\n"
              "            .anyRequest().authenticated()).formLogin(Customizer.withDefaults());\n        return http.build();\n"
              "    }\n    @Bean\n    SecurityFilterChain site(HttpSecurity http) throws Exception {\n"
              "        http.authorizeHttpRequests(a -> a\n            .requestMatchers(\"/admin/**\").hasRole(\"ADMIN\")\n"
              "            .anyRequest().permitAll()).formLogin(Customizer.withDefaults());\n        return http.build();\n"
              "    }\n    @Bean\n    WebSecurityCustomizer assets() {\n"
              "        return web -> web.ignoring().requestMatchers(\"/css/**\", \"/js/**\");\n    }\n}\n", "BDL602",
              path="Security.java"),
        Valid("class OpsController {\n    static final java.util.Set<String> ALLOWED = java.util.Set.of(\"status\", \"flush\");\n"
              "    @PostMapping(\"/ops/{op}\")\n    Object run(@PathVariable String op) throws Exception {\n"
              "        if (!ALLOWED.contains(op)) {\n            throw new IllegalArgumentException(op);\n        }\n"
              "        Class.forName(\"org.postgresql.Driver\");\n        return service.getClass().getMethod(op).invoke(service);\n"
              "    }\n}\n", "BDL502", path="OpsController.java"),
        Valid("class Tokens {\n    boolean verify(String token) {\n        if (token == null) {\n            return false;\n"
              "        }\n        try {\n            JWT.require(alg).build().verify(token);\n            return true;\n"
              "        } catch (JWTVerificationException e) {\n            return false;\n        }\n    }\n}\n", "BDL606",
              path="Tokens.java"),
        # Spring's filter: no header, no authentication set; the authorisation rules decide
        Valid("class JwtFilter extends OncePerRequestFilter {\n"
              "    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)\n"
              "            throws ServletException, IOException {\n        String header = req.getHeader(\"Authorization\");\n"
              "        if (header == null || !header.startsWith(\"Bearer \")) {\n            chain.doFilter(req, res);\n"
              "            return;\n        }\n        try {\n            setAuthentication(jwt.verify(header.substring(7)));\n"
              "        } catch (JWTVerificationException e) {\n            res.sendError(401);\n            return;\n        }\n"
              "        chain.doFilter(req, res);\n    }\n}\n", "BDL606", path="JwtFilter.java"),
        Valid("class Forms {\n    boolean isPositiveOrBlank(String s) {\n        try {\n"
              "            return Integer.parseInt(s) > 0;\n        } catch (NumberFormatException e) {\n            return true;\n"
              "        }\n    }\n}\n", "BDL606", path="Forms.java"),
        Valid(_CRYPTO + "class Config {\n    static final String ALG = \"AES/GCM/NoPadding\";\n}\n\nclass Box {\n"
              "    Cipher make() throws Exception { return Cipher.getInstance(Config.ALG); }\n}\n", "BDL203",
              path="Box.java"),
        Valid(_CRYPTO + "class Box {\n    static final String MODE = \"CBC\";\n    Cipher make() throws Exception {\n"
              "        return Cipher.getInstance(\"AES/\" + MODE + \"/PKCS5Padding\");\n    }\n}\n", "BDL204",
              path="Box.java"),
        Valid("import com.auth0.jwt.algorithms.Algorithm;\n\nclass Tokens {\n"
              "    Algorithm alg(java.security.interfaces.RSAPublicKey publicKey) {\n"
              "        return Algorithm.RSA256(publicKey, null);\n    }\n}\n", "BDL101", path="Tokens.java"),
        Valid("import com.auth0.jwt.algorithms.Algorithm;\n\nclass Tokens {\n"
              "    Algorithm alg() { return Algorithm.HMAC256(System.getenv(\"JWT_SECRET\")); }\n}\n", "BDL210",
              path="Tokens.java"),
        Valid("import com.auth0.jwt.algorithms.Algorithm;\n\nclass TokensTest {\n"
              "    Algorithm alg() { return Algorithm.HMAC256(\"kX9f2-test-signing\"); }\n}\n", "BDL210",
              path="src/test/java/TokensTest.java"),
        Valid("import javax.crypto.spec.GCMParameterSpec;\nimport java.security.SecureRandom;\n\nclass Box {\n"
              "    GCMParameterSpec spec() {\n        byte[] iv = new byte[12];\n        new SecureRandom().nextBytes(iv);\n"
              "        return new GCMParameterSpec(128, iv);\n    }\n}\n", "BDL205", path="Box.java"),
        Valid("import javax.net.ssl.*;\n\nclass Strict implements HostnameVerifier {\n"
              "    public boolean verify(String h, SSLSession s) { return \"api.example.com\".equals(h); }\n}\n",
              "BDL302", path="Strict.java"),
        Valid("import javax.net.ssl.SSLContext;\n\nclass Tls {\n    static final String V = \"TLSv1.3\";\n"
              "    SSLContext ctx() throws Exception { return SSLContext.getInstance(V); }\n}\n", "BDL303",
              path="Tls.java"),
        Valid("import java.net.http.*;\n\nclass Client {\n    void send(HttpClient c, java.net.URI u) throws Exception {\n"
              "        String region = System.getenv(\"AWS_REGION\");\n"
              "        c.send(HttpRequest.newBuilder(u).POST(HttpRequest.BodyPublishers.ofString(region)).build(),\n"
              "               HttpResponse.BodyHandlers.discarding());\n    }\n}\n", "BDL402", path="Client.java"),
        Valid("import java.util.Base64;\n\nclass Img {\n    byte[] decode(String s) { return Base64.getDecoder().decode(s); }\n"
              "    void run() throws Exception { new ProcessBuilder(\"optipng\", \"out.png\").start(); }\n}\n", "BDL501",
              path="Img.java"),
        Valid("class Ping {\n    String ping(@RequestParam String host) throws Exception {\n"
              "        ProcessBuilder pb = new ProcessBuilder(\"ping\", \"-c1\", host);\n"
              "        return new String(pb.start().getInputStream().readAllBytes());\n    }\n}\n", "BDL505",
              path="Ping.java"),
        Valid("class Hooks {\n    boolean ok(HttpServletRequest req, byte[] expected) {\n"
              "        String sig = req.getHeader(\"X-Signature\");\n        if (sig == null || \"POST\".equals(req.getMethod())) "
              "return false;\n"
              "        return MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.UTF_8));\n    }\n}\n",
              "BDL209", path="Hooks.java"),
        Valid("class Signup {\n    boolean ok(@RequestParam String password, @RequestParam String confirmPassword,\n"
              "               HttpServletRequest req, String etag) {\n"
              "        return password.equals(confirmPassword) && etag.equals(req.getHeader(\"If-None-Match\"));\n"
              "    }\n}\n", "BDL209", path="Signup.java"),
        Valid("class Util {\n    private static final SecureRandom SECURE = new SecureRandom();\n\n"
              "    int shard(int n) { return new Random().nextInt(n); }\n\n"
              "    long backoff(int attempt) { return (1L << attempt) * 100 + ThreadLocalRandom.current().nextInt(100); }\n\n"
              "    String resetCode() { return String.format(\"%06d\", SECURE.nextInt(1000000)); }\n}\n", "BDL208",
              path="Util.java"),
        Valid("class Store {\n    Object cached(Path p) throws Exception {\n"
              "        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(p))) {\n"
              "            return in.readObject();\n        }\n    }\n\n"
              "    @PostMapping(\"/import\")\n    Object load(InputStream body) throws Exception {\n"
              "        ObjectInputStream in = new ObjectInputStream(body);\n"
              "        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(\"com.example.Order;!*\"));\n"
              "        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(body);\n"
              "        return in.readObject();\n    }\n}\n", "BDL504", path="Store.java"),
        Valid("class Filter {\n    void doFilter(HttpServletRequest req) {\n"
              "        String user = sessions.verify(req.getHeader(\"Authorization\"));\n"
              "        if (user != null) {\n            authenticate(user, \"ROLE_USER\");\n        }\n"
              "        if (\"https\".equals(req.getHeader(\"X-Forwarded-Proto\"))) {\n            secure = true;\n        }\n"
              "    }\n}\n", "BDL602", path="Filter.java"),
        Valid("class Tokens {\n    boolean ok(SignedJWT jwt, RSAPublicKey publicKey, byte[] hmacSecret) throws Exception {\n"
              "        return jwt.verify(new RSASSAVerifier(publicKey)) || jwt.verify(new MACVerifier(hmacSecret));\n"
              "    }\n}\n", "BDL101", path="Tokens.java"),
    ]

    def check(self, text: str, display: str, language: str) -> list[Finding]:
        from backdoor_lint.checkers.lang.java import JavaFile
        from backdoor_lint.checkers.lang.java_rules import analyse
        from backdoor_lint.checkers.vocabulary import is_test_code

        return run(text, display, language, lambda source: analyse(JavaFile(source, is_test_code(display), self.path, self.root)),
                   self.analysed(text))
