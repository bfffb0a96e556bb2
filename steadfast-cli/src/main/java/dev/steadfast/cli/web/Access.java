package dev.steadfast.cli.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who may use the dashboard and whether a POST is genuine. With a token configured, every request but
 * the health probes carries it (a cookie set by the login form, or {@code Authorization: Bearer});
 * it is compared in constant time. Every mutating form carries this process's CSRF token, which another
 * site cannot read, and a cross-site {@code Origin} is refused outright.
 */
final class Access {
    static final String COOKIE = "steadfast_token";

    private final byte[] tokenDigest;
    private final String csrf;

    Access(String token) {
        this.tokenDigest = token == null ? null : sha256(token);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.csrf = HexFormat.of().formatHex(random);
    }

    boolean tokenRequired() {
        return tokenDigest != null;
    }

    /** Whether the request may see the dashboard. */
    boolean allowed(Request request) {
        if (tokenDigest == null) {
            return true;
        }
        String cookie = request.cookie(COOKIE);
        if (cookie != null) {
            return MessageDigest.isEqual(cookieValue().getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8));
        }
        String auth = request.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") && matches(auth.substring("Bearer ".length()).trim());
    }

    /** What the login cookie holds: the token's digest, so the token itself is never stored in the browser. */
    String cookieValue() {
        return HexFormat.of().formatHex(tokenDigest);
    }

    /** Constant time: the digests have equal length whatever was presented. */
    boolean matches(String presented) {
        return tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
    }

    String csrfToken() {
        return csrf;
    }

    /** A POST must carry the CSRF token and must not come from another origin. */
    boolean genuinePost(Request request) {
        String origin = request.header("Origin");
        String host = request.header("Host");
        if (origin != null && host != null && !origin.equals("http://" + host) && !origin.equals("https://" + host)) {
            return false;
        }
        String presented = request.param("csrf");
        return presented != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
