package dev.steadfast.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;

/**
 * Who is asking. Without a token (the loopback default) everyone who reaches the port under an allowed
 * host name may use the dashboard. With a token: a valid {@code Authorization: Bearer} header, or a
 * session cookie from the login form. A request carrying an {@code Authorization} header is judged by it
 * alone (Bearer wins): a wrong header is refused even next to a valid cookie. Tokens are compared in
 * constant time, and wrong ones, from the login form or a header alike, count in one {@link LoginThrottle}.
 *
 * <p>Forms carry a CSRF token of their caller: a signed-in session's own; without sessions (no token, or a dashboard
 * mounted in an application) one per client, kept in the servlet container's session when it has one, otherwise in an
 * {@code HttpOnly} cookie that each form post must repeat (double submit).
 */
public final class Access {
    public static final String CSRF_COOKIE = "steadfast_csrf";

    private final byte[] tokenDigest;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final ClientAddress addresses;
    /** What forms of a caller without a session or a client token show: never accepted for an action. */
    private final String unusableCsrf;

    /**
     * The verdict on one request; {@code csrf} is what its forms must send back, {@code csrfIssued} says it is new and
     * must be sent to the client in {@link #CSRF_COOKIE}.
     */
    record Caller(
            boolean allowed, boolean bearer, Optional<Sessions.Session> session, String csrf, boolean csrfIssued) {}

    Access(String token, Sessions sessions, Clock clock, ClientAddress addresses) {
        this.tokenDigest = token == null ? null : sha256(token);
        this.sessions = sessions;
        this.throttle = new LoginThrottle(clock);
        this.addresses = addresses;
        this.unusableCsrf = sessions.randomToken();
    }

    boolean tokenRequired() {
        return tokenDigest != null;
    }

    LoginThrottle throttle() {
        return throttle;
    }

    /** The address the throttle counts a request's guesses against. */
    String address(Request request) {
        return addresses.of(request);
    }

    Caller identify(Request request) {
        String auth = request.header("Authorization");
        if (auth != null && tokenDigest != null) {
            boolean valid = auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    && matches(auth.substring(7).trim());
            return new Caller(valid, valid, Optional.empty(), unusableCsrf, false);
        }
        if (tokenDigest == null) {
            return clientCsrf(request);
        }
        Optional<Sessions.Session> session = sessions.find(request.cookie(Sessions.COOKIE));
        return new Caller(
                session.isPresent(),
                false,
                session,
                session.map(Sessions.Session::csrf).orElse(unusableCsrf),
                false);
    }

    /** Everyone may act; the CSRF token is the client's own: from the container's session, or a cookie, or new. */
    private Caller clientCsrf(Request request) {
        String stored = request.containerCsrf();
        if (stored != null) {
            return new Caller(true, false, Optional.empty(), stored, false);
        }
        String cookie = request.cookie(CSRF_COOKIE);
        if (cookie != null && cookie.matches("[A-Za-z0-9_-]{43}")) {
            return new Caller(true, false, Optional.empty(), cookie, false);
        }
        String fresh = sessions.randomToken();
        boolean inSession = request.storeContainerCsrf(fresh);
        return new Caller(true, false, Optional.empty(), fresh, !inSession);
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
        return !caller.csrfIssued()
                && presented != null
                && MessageDigest.isEqual(
                        caller.csrf().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
