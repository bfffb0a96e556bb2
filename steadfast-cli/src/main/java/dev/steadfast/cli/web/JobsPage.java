package dev.steadfast.cli.web;

import dev.steadfast.queue.JobView;

import java.util.List;

/** A page of jobs in one state, with search by id, type or unique key. */
final class JobsPage {
    static final int PAGE_SIZE = 50;

    private JobsPage() {
    }

    /**
     * @param newer whether newer jobs exist above this page
     * @param older whether older jobs exist below it
     */
    static String render(String state, String search, List<JobView> jobs, boolean newer, boolean older) {
        StringBuilder b = new StringBuilder();
        b.append("<form class=\"search\" method=\"get\" action=\"/jobs\"><input type=\"hidden\" name=\"state\" value=\"")
                .append(Html.esc(state)).append("\"><input name=\"q\" placeholder=\"id, type or unique key\" value=\"")
                .append(Html.esc(search == null ? "" : search)).append("\"> <button>Search</button></form><br>");
        b.append("<table id=\"jobs\"><tr><th>Id</th><th>Queue</th><th>Type</th><th>State</th><th class=\"num\">Attempts</th>"
                + "<th>Run at</th><th>Updated</th><th>Unique key</th><th>Last error</th></tr>");
        for (JobView j : jobs) {
            b.append("<tr><td><a href=\"/jobs/").append(j.id()).append("\">").append(j.id()).append("</a></td><td>")
                    .append(Html.esc(j.queue())).append("</td><td>").append(Html.esc(j.type())).append("</td><td class=\"state-")
                    .append(Html.esc(j.state())).append("\">").append(Html.esc(j.state())).append("</td><td class=\"num\">")
                    .append(j.attempts()).append("/").append(j.maxAttempts()).append("</td><td>").append(Html.time(j.runAt()))
                    .append("</td><td>").append(Html.time(j.updatedAt())).append("</td><td>").append(Html.esc(j.uniqueKey()))
                    .append("</td><td>").append(Html.esc(abbreviate(j.lastError()))).append("</td></tr>");
        }
        if (jobs.isEmpty()) {
            b.append("<tr><td colspan=\"9\" class=\"muted\">no ").append(Html.esc(state)).append(" jobs")
                    .append(search == null || search.isBlank() ? "" : " matching '" + Html.esc(search) + "'").append("</td></tr>");
        }
        b.append("</table><div class=\"pager\">");
        String base = "/jobs?state=" + Html.url(state) + (search == null || search.isBlank() ? "" : "&amp;q=" + Html.url(search));
        if (newer && !jobs.isEmpty()) {
            b.append("<a href=\"").append(base).append("\">&#8676; newest</a>");
            b.append("<a href=\"").append(base).append("&amp;after=").append(jobs.get(0).id()).append("\">&larr; newer</a>");
        }
        if (older && !jobs.isEmpty()) {
            b.append("<a href=\"").append(base).append("&amp;before=").append(jobs.get(jobs.size() - 1).id())
                    .append("\">older &rarr;</a>");
        }
        b.append("</div>");
        String title = Character.toUpperCase(state.charAt(0)) + state.substring(1) + " jobs";
        return Layout.page(title, "/jobs?state=" + state, b.toString());
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        // redacted before it is cut: half a secret would no longer match its pattern or its value
        String line = dev.steadfast.cli.Redactor.process().redact(text).replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }
}
