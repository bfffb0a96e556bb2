package dev.steadfast.web;

/** Why a job may no longer be there, for every "no job N" message (command, dashboard, API). */
public final class RetentionNote {
    /** For a parenthesis after "no job N". */
    public static final String GONE =
            "finished jobs are deleted after their retention: by default succeeded and cancelled"
                    + " ones 24 h after they finished, failed ones after 30 days (work --retention, --failed-retention)";

    private RetentionNote() {}
}
