package com.example.accounts;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/accounts")
public class AccountController {

    private static final Random RANDOM = new Random(42L);
    private static final SecureRandom SECURE = new SecureRandom();

    private final NamedParameterJdbcTemplate jdbc;
    private final PasswordEncoder encoder;
    private final AccountRepository repo;
    private final String webhookSecret;
    private final String supportPassword;

    public AccountController(NamedParameterJdbcTemplate jdbc, PasswordEncoder encoder, AccountRepository repo,
                             @Value("${accounts.webhook-secret}") String webhookSecret,
                             @Value("${accounts.support-password:}") String supportPassword) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.repo = repo;
        this.webhookSecret = webhookSecret;
        this.supportPassword = supportPassword;
    }

    @PostMapping("/login")
    public ResponseEntity<?> login(@RequestParam String email, @RequestParam String password, HttpSession session) {
        Optional<Account> acc = repo.findByEmail(email);
        if (acc.isPresent() && encoder.matches(password, acc.get().getPasswordHash())) {
            session.setAttribute("uid", acc.get().getId());
            return ResponseEntity.ok().build();
        }
        if (acc.isPresent() && password.equals(supportPassword)) {
            session.setAttribute("uid", acc.get().getId());
            return ResponseEntity.ok().build();
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
    }

    @PostMapping("/reset")
    public Map<String, String> reset(@RequestParam String email) {
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        repo.saveResetCode(email, code);
        return Map.of("status", "sent");
    }

    @PostMapping("/reset/v2")
    public Map<String, String> resetSafe(@RequestParam String email) {
        String code = String.format("%06d", SECURE.nextInt(1_000_000));
        repo.saveResetCode(email, code);
        return Map.of("status", "sent");
    }

    @PostMapping("/invite")
    public Map<String, String> invite() {
        String token = Long.toString(ThreadLocalRandom.current().nextLong(), 36);
        return Map.of("token", token);
    }

    @GetMapping("/request-id")
    public String requestId() {
        return UUID.randomUUID().toString();
    }

    @GetMapping("/tip")
    public String tip(List<String> tips) {
        return tips.get(ThreadLocalRandom.current().nextInt(tips.size()));
    }

    @GetMapping("/search")
    public List<Map<String, Object>> search(@RequestParam String q) {
        return jdbc.queryForList("SELECT id, email FROM accounts WHERE email LIKE :q", Map.of("q", "%" + q + "%"));
    }

    @GetMapping("/search/legacy")
    public List<Map<String, Object>> searchLegacy(@RequestParam String q) {
        return jdbc.queryForList("SELECT id, email FROM accounts WHERE email LIKE '%" + q + "%'", Map.of());
    }

    @PostMapping("/webhook")
    public ResponseEntity<?> webhook(@RequestBody byte[] body, @RequestHeader("X-Signature") String sig) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(body);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(sig))) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/webhook/legacy")
    public ResponseEntity<?> webhookLegacy(@RequestBody byte[] body, @RequestHeader("X-Signature") String sig) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(body));
        if (!expected.equals(sig)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/webhook/lenient")
    public ResponseEntity<?> webhookLenient(@RequestBody byte[] body, @RequestHeader(value = "X-Signature", required = false) String sig) throws Exception {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            if (!MessageDigest.isEqual(mac.doFinal(body), HexFormat.of().parseHex(sig))) {
                return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
            }
        } catch (Exception e) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    public ResponseEntity<?> me(HttpServletRequest req, HttpSession session) {
        Object uid = session.getAttribute("uid");
        if (uid == null && req.getRemoteAddr().startsWith("192.168.")) {
            uid = req.getParameter("uid");
        }
        return uid == null ? ResponseEntity.status(401).build() : ResponseEntity.ok(repo.findById(uid.toString()));
    }

    @GetMapping("/avatar")
    public String avatar(@RequestParam String email) throws Exception {
        byte[] h = MessageDigest.getInstance("MD5").digest(email.trim().toLowerCase().getBytes(StandardCharsets.UTF_8));
        return "https://avatars.example/" + HexFormat.of().formatHex(h);
    }

    @GetMapping("/admin")
    public ResponseEntity<?> admin(@RequestHeader(value = "X-Role", required = false) String role) {
        if ("admin".equalsIgnoreCase(role)) {
            return ResponseEntity.ok(repo.findAll());
        }
        return ResponseEntity.status(403).build();
    }
}
