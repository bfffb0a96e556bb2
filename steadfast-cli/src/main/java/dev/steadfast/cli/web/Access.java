package dev.steadfast.cli.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who is asking. Without a token (the loopback default) everyone who reaches the port under an allowed
 * host name may use the dashboard. With a token: a valid {@code Authorization: Bearer} header, or a
 * session cookie from the login form. A request carrying an {@code Authorization} header is judged by it
 * alone (Bearer wins): a wrong header is refused even next to a valid cookie. Tokens are compared in
 * constant time.
 */
final class Access {
    private final byte[] tokenDigest;
    private final Sessions sessions;
    private final String processCsrf;

    /** The verdict on one request; {@code csrf} is what its forms must send back. */
    record Caller(boolean allowed, boolean bearer, Optional<Sessions.Session> session, String csrf) {
    }

    Access(String token, Sessions sessions) {
        this.tokenDigest = token == null ? null : sha256(token);
        this.sessions = sessions;
        this.processCsrf = sessions.randomToken();
    }

    boolean tokenRequired() {
        return tokenDigest != null;
    }

    Caller identify(Request request) {
        String auth = request.header("Authorization");
        if (auth != null) {
            boolean valid = tokenDigest != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && matches(auth.substring(7).trim());
            return new Caller(tokenDigest == null || valid, valid, Optional.empty(), processCsrf);
        }
        if (tokenDigest == null) {
            return new Caller(true, false, Optional.empty(), processCsrf);
        }
        Optional<Sessions.Session> session = sessions.find(request.cookie(Sessions.COOKIE));
        return new Caller(session.isPresent(), false, session, session.map(Sessions.Session::csrf).orElse(processCsrf));
    }

    /** Constant time: the digests have equal length whatever was presented. */
    boolean matches(String presented) {
        return tokenDigest != null && presented != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
    }

    /** Whether a form's CSRF field is the caller's own; Bearer callers are not browsers and need none. */
    static boolean csrfMatches(Caller caller, String presented) {
        if (caller.bearer()) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(caller.csrf().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
