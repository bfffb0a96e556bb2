package dev.steadfast.web.internal;

import java.util.Optional;

/** Job and failed-job ids as they arrive in paths and parameters: positive longs, anything else is no id. */
final class Ids {
    private Ids() {}

    static Optional<Long> parse(String raw) {
        if (raw == null || !raw.trim().matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(raw.trim()));
    }
}
