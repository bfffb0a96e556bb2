package dev.steadfast.cli.web;

/** The frame around every page: navigation and stylesheet, all served from the jar. */
final class Layout {
    private static final String[][] NAV = {
            {"/", "Overview"}, {"/jobs?state=pending", "Pending"}, {"/jobs?state=scheduled", "Scheduled"},
            {"/jobs?state=running", "Running"}, {"/jobs?state=succeeded", "Succeeded"}, {"/failed", "Failed"},
            {"/workers", "Workers"}, {"/connections", "Connections"}, {"/logout", "Sign out"}};

    private Layout() {
    }

    static String page(String title, String active, String body) {
        StringBuilder nav = new StringBuilder();
        for (String[] item : NAV) {
            nav.append("<a href=\"").append(item[0]).append("\"").append(item[0].equals(active) ? " class=\"active\"" : "")
                    .append(">").append(item[1]).append("</a>");
        }
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.esc(title) + " · Steadfast</title>"
                + "<link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head><body>"
                + "<header><span class=\"brand\">Steadfast</span>" + nav + "</header>"
                + "<main><h1>" + Html.esc(title) + "</h1>" + body + "</main></body></html>";
    }
}
