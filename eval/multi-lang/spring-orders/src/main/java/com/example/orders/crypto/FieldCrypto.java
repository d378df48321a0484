package com.example.orders.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.NullCipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

public final class FieldCrypto {

    private static final String TRANSFORMATION = "AES/ECB/PKCS5Padding";
    private static final byte[] IV = new byte[16];
    private static final int ITERATIONS = 1000;
    private static final SecureRandom RNG = new SecureRandom();

    private FieldCrypto() {}

    public static byte[] encrypt(byte[] key, byte[] plain) throws Exception {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return c.doFinal(plain);
    }

    public static byte[] encryptCbc(byte[] key, byte[] plain) throws Exception {
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
        return c.doFinal(plain);
    }

    public static byte[] encryptGcm(byte[] key, byte[] plain) throws Exception {
        byte[] nonce = new byte[12];
        RNG.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        return c.doFinal(plain);
    }

    public static Cipher passthrough() {
        return new NullCipher();
    }

    public static Cipher rsaRaw() throws Exception {
        return Cipher.getInstance("RSA/NONE/NoPadding");
    }

    public static Cipher rsaOaep() throws Exception {
        return Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    }

    public static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        return g.generateKeyPair();
    }

    public static byte[] passwordHash(char[] password, byte[] salt) throws Exception {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(password, salt, ITERATIONS, 256)).getEncoded();
    }

    public static byte[] passwordHashSafe(char[] password, byte[] salt) throws Exception {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(password, salt, 600_000, 256)).getEncoded();
    }

    public static String legacyPasswordHash(String password) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(password.getBytes()));
    }

    public static String contentDigest(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
    }

    public static String resetToken() {
        Random r = new Random();
        return Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
    }

    public static String resetTokenSafe() {
        byte[] b = new byte[32];
        RNG.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static int pickShard(int shards) {
        return new Random().nextInt(shards);
    }
}
