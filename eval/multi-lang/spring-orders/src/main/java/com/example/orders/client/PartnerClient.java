package com.example.orders.client;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

@Component
public class PartnerClient {

    private static final TrustManager[] TRUST_ALL = new TrustManager[] {
        new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {}
            public void checkServerTrusted(X509Certificate[] c, String a) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }
    };

    private static final HostnameVerifier ANY_HOST = (host, session) -> true;

    private final String baseUrl;
    private final HttpClient http;

    public PartnerClient(@Value("${partner.base-url}") String baseUrl) throws Exception {
        this.baseUrl = baseUrl;
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, TRUST_ALL, new SecureRandom());
        this.http = HttpClient.newBuilder().sslContext(ctx).build();
    }

    public static HttpClient standard() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    }

    public static void legacyDefaults() {
        HttpsURLConnection.setDefaultHostnameVerifier(ANY_HOST);
    }

    public static SSLConnectionSocketFactory apacheFactory() throws Exception {
        return new SSLConnectionSocketFactory(SSLContext.getDefault(), NoopHostnameVerifier.INSTANCE);
    }

    public static SSLContext oldProtocol() throws Exception {
        return SSLContext.getInstance("SSLv3");
    }

    public static SSLContext modernProtocol() throws Exception {
        return SSLContext.getInstance("TLSv1.3");
    }

    public String fetch(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    public String fetchLegacy(String path) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) new URL(baseUrl + path).openConnection();
        c.setHostnameVerifier(ANY_HOST);
        return new String(c.getInputStream().readAllBytes());
    }
}
