package dev.steadfast.cli.commands;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.StrandedJobs;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code work --stop-when-empty} says it leaves behind as it stops: due jobs of its queues whose type it has no
 * handler for, so that a job of a typo'd type is not walked past in silence.
 */
final class LeftBehind {
    private LeftBehind() {}

    /** {@code ; 3 jobs of type sendmail-typo left: no handler here}, or empty when none is left. */
    static String note(JobQueue queue, List<String> queues, List<String> types) {
        Map<String, Long> left;
        try {
            left = queue.dueOfOtherTypes(queues, types);
        } catch (SQLException e) {
            return "; jobs of other types not counted (" + e.getMessage() + ")";
        }
        return left.isEmpty()
                ? ""
                : left.entrySet().stream()
                        .map(e -> (e.getValue() > StrandedJobs.COUNTED_UP_TO
                                        ? "more than " + StrandedJobs.COUNTED_UP_TO
                                        : e.getValue())
                                + " job(s) of type " + StoredText.line(e.getKey()) + " left")
                        .collect(Collectors.joining(", ", "; ", ": no handler here"));
    }
}
