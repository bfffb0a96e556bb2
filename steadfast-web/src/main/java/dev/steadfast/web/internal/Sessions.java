package dev.steadfast.web.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side login sessions: a random id in an {@code HttpOnly}, {@code SameSite=Strict} cookie that
 * tells nothing about the token, an idle and an absolute expiry, and logout that really ends it. Each
 * session has its own CSRF token. Held in memory: a restart signs everyone out, which is the safe side.
 */
final class Sessions {
    static final String COOKIE = "steadfast_session";
    static final Duration IDLE = Duration.ofHours(8);
    static final Duration ABSOLUTE = Duration.ofHours(24);
    private static final int MAX_SESSIONS = 1000;

    /** One signed-in browser. */
    record Session(String id, String csrf, Instant created, Instant lastSeen) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session; the oldest is dropped when there are too many. */
    Session create() {
        Instant now = clock.instant();
        expire(now);
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream()
                    .min(Comparator.comparing(Session::lastSeen))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session session = new Session(randomToken(), randomToken(), now, now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, its idle time restarted; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(session.id(), session.csrf(), session.created(), now);
        sessions.replace(id, session, touched);
        return Optional.of(touched);
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private void expire(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
    }

    private static boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.created().plus(ABSOLUTE));
    }

    String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
