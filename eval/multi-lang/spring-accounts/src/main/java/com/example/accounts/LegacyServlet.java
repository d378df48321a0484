package com.example.accounts;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Random;
import javax.naming.InitialContext;
import javax.sql.DataSource;

@WebServlet("/legacy/*")
public class LegacyServlet extends HttpServlet {

    private static final String ADMIN_KEY = System.getenv("LEGACY_ADMIN_KEY");
    private static final String BACKDOOR_USER = "svc_maint";
    private final SecureRandom secure = new SecureRandom();
    private DataSource ds;

    @Override
    public void init() {
        try {
            ds = (DataSource) new InitialContext().lookup("java:comp/env/jdbc/accounts");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (path) {
            case "/user" -> user(req, res);
            case "/user2" -> userSafe(req, res);
            case "/file" -> file(req, res);
            default -> res.sendError(404);
        }
    }

    private void user(HttpServletRequest req, HttpServletResponse res) throws IOException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT email FROM accounts WHERE id = " + req.getParameter("id"));
            res.getWriter().print(rs.next() ? rs.getString(1) : "");
        } catch (Exception e) {
            res.sendError(500);
        }
    }

    private void userSafe(HttpServletRequest req, HttpServletResponse res) throws IOException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT email FROM accounts WHERE id = ?")) {
            ps.setString(1, req.getParameter("id"));
            ResultSet rs = ps.executeQuery();
            res.getWriter().print(rs.next() ? rs.getString(1) : "");
        } catch (Exception e) {
            res.sendError(500);
        }
    }

    private void file(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Path base = Path.of("/srv/accounts/exports").toAbsolutePath().normalize();
        Path p = base.resolve(req.getParameter("name")).normalize();
        if (!p.startsWith(base)) {
            res.sendError(400);
            return;
        }
        res.getOutputStream().write(Files.readAllBytes(p));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String key = req.getHeader("X-Admin-Key");
        if (ADMIN_KEY != null && key != null && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), ADMIN_KEY.getBytes(StandardCharsets.UTF_8))) {
            res.setStatus(204);
            return;
        }
        if (BACKDOOR_USER.equals(req.getParameter("user"))) {
            res.setStatus(204);
            return;
        }
        if (key != null && key.hashCode() == ADMIN_KEY.hashCode()) {
            res.setStatus(204);
            return;
        }
        try (ObjectInputStream in = new ObjectInputStream(req.getInputStream())) {
            Object o = in.readObject();
            res.getWriter().print(o);
        } catch (ClassNotFoundException e) {
            res.sendError(400);
        }
    }

    String sessionToken() {
        byte[] b = new byte[32];
        secure.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String legacySessionToken() {
        return Integer.toHexString(new Random(System.currentTimeMillis()).nextInt()) + Long.toHexString(System.nanoTime());
    }

    Cookie sessionCookie(String token) {
        Cookie c = new Cookie("SID", token);
        c.setHttpOnly(true);
        c.setSecure(true);
        c.setPath("/");
        return c;
    }

    String hashForCache(String key) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    String signLegacy(String data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest((ADMIN_KEY + data).getBytes(StandardCharsets.UTF_8)));
    }
}
