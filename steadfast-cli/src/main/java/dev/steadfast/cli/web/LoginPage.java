package dev.steadfast.cli.web;

/** Signing in with the dashboard token, and out again. */
final class LoginPage {
    private LoginPage() {
    }

    static String login(String error, boolean tokenRequired) {
        return login(error, "", tokenRequired);
    }

    /** @param notice a flash text of ours (never the URL's), or empty */
    static String login(String error, String notice, boolean tokenRequired) {
        String body = (notice.isEmpty() ? "" : "<div class=\"flash\" id=\"flash\">" + Html.esc(notice) + "</div>")
                + (error.isEmpty() ? "" : "<p class=\"bad\" id=\"login-error\">" + Html.esc(error) + "</p>")
                + (tokenRequired
                ? "<form class=\"login\" method=\"post\" action=\"/login\"><p><label for=\"token\">Token (STEADFAST_UI_TOKEN)</label></p>"
                + "<p><input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\" autofocus> "
                + "<button class=\"primary\">Sign in</button></p></form>"
                : "<p>No token is required here. <a href=\"/\">Go to the overview</a>.</p>");
        return Layout.page("Sign in", "", body);
    }

    static String logout(String csrf, boolean tokenRequired) {
        if (!tokenRequired) {
            return Layout.page("Sign out", "", "<p>This dashboard needs no sign-in (it listens on loopback only).</p>");
        }
        return Layout.page("Sign out", "", "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\""
                + Html.esc(csrf) + "\"><button class=\"primary\">Sign out</button></form>");
    }
}
