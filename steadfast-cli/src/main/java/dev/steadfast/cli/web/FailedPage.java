package dev.steadfast.cli.web;

import dev.steadfast.queue.FailedJob;

import java.util.List;

/** The failed-job log with retry and forget, one at a time or in bulk; every action a POST with the CSRF token. */
final class FailedPage {
    private FailedPage() {
    }

    /**
     * @param flash     the text of a finished action, or empty
     * @param paged     whether this is not the first page
     * @param olderThan the id below which the next page starts, or null when this is the last page
     */
    static String render(List<FailedJob> failed, String csrf, String flash, boolean paged, Long olderThan) {
        StringBuilder b = new StringBuilder();
        if (flash != null && !flash.isBlank()) {
            b.append("<div class=\"flash\" id=\"flash\">").append(Html.esc(flash)).append("</div>");
        }
        b.append("<form method=\"post\" action=\"/failed/retry\" id=\"bulk\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .append(Html.esc(csrf)).append("\"><table id=\"failed\"><tr><th></th><th>Id</th><th>Job</th><th>Queue</th><th>Type</th>"
                        + "<th class=\"num\">Attempts</th><th>Failed at</th><th>Error</th><th></th></tr>");
        for (FailedJob f : failed) {
            b.append("<tr data-job=\"").append(f.jobId()).append("\"><td><input type=\"checkbox\" name=\"id\" value=\"")
                    .append(f.id()).append("\"></td><td>").append(f.id()).append("</td><td><a href=\"/jobs/").append(f.jobId())
                    .append("\">").append(f.jobId()).append("</a></td><td>").append(Html.esc(f.queue())).append("</td><td>")
                    .append(Html.esc(f.type())).append("</td><td class=\"num\">").append(f.attempts()).append("</td><td>")
                    .append(Html.time(f.failedAt())).append("</td><td class=\"error\">")
                    .append(Html.esc(JobsPage.abbreviate(f.errorSummary())))
                    .append("</td><td>")
                    .append("<button class=\"primary\" formaction=\"/failed/retry?only=").append(f.id())
                    .append("\" name=\"retry-one\" value=\"").append(f.id()).append("\">Retry</button> ")
                    .append("<button class=\"danger\" formaction=\"/failed/forget?only=").append(f.id())
                    .append("\" name=\"forget-one\" value=\"").append(f.id()).append("\">Forget</button></td></tr>");
        }
        if (failed.isEmpty()) {
            b.append("<tr><td colspan=\"9\" class=\"muted\">no failed jobs</td></tr>");
        }
        b.append("</table><p><button class=\"primary\" formaction=\"/failed/retry\">Retry selected</button> "
                + "<button class=\"danger\" formaction=\"/failed/forget\">Forget selected</button> "
                + "<button formaction=\"/failed/retry?all=1\">Retry all</button></p></form><div class=\"pager\">");
        if (paged) {
            b.append("<a href=\"/failed\">&#8676; newest</a>");
        }
        if (olderThan != null) {
            b.append("<a href=\"/failed?before=").append(olderThan).append("\">older &rarr;</a>");
        }
        b.append("</div>");
        return Layout.page("Failed jobs", "/failed", b.toString());
    }

    /** Retry and forget buttons for one failed job, as their own form. */
    static String actions(long failedId, String csrf) {
        return "<form class=\"inline\" method=\"post\" action=\"/failed/retry?only=" + failedId + "\"><input type=\"hidden\""
                + " name=\"csrf\" value=\"" + Html.esc(csrf) + "\"><button class=\"primary\">Retry</button></form> "
                + "<form class=\"inline\" method=\"post\" action=\"/failed/forget?only=" + failedId + "\"><input type=\"hidden\""
                + " name=\"csrf\" value=\"" + Html.esc(csrf) + "\"><button class=\"danger\">Forget</button></form>";
    }
}
