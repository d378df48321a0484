package com.example.orders.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Driver;
import java.util.Base64;

public final class Support {

    private Support() {}

    public static String[] basicAuth(String header) {
        String raw = new String(Base64.getDecoder().decode(header.replaceFirst("^Basic ", "")), StandardCharsets.UTF_8);
        return raw.split(":", 2);
    }

    public static Driver postgresDriver() throws Exception {
        return (Driver) Class.forName("org.postgresql.Driver").getDeclaredConstructor().newInstance();
    }

    public static String serviceStatus() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemctl", "is-active", "orders").start();
        p.waitFor();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
