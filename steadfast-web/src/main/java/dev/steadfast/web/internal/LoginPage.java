package dev.steadfast.web.internal;

/** Signing in with the dashboard token, and out again. */
final class LoginPage {
    private LoginPage() {}

    static String login(String error, boolean tokenRequired) {
        return login(error, "", tokenRequired);
    }

    /** @param notice a flash text of ours (never the URL's), or empty */
    static String login(String error, String notice, boolean tokenRequired) {
        HtmlWriter b = new HtmlWriter();
        if (!notice.isEmpty()) {
            b.element("div", notice, "class", "flash", "id", "flash");
        }
        if (!error.isEmpty()) {
            b.element("p", error, "class", "bad", "id", "login-error");
        }
        if (tokenRequired) {
            b.open("form", "class", "login", "method", "post", "action", "/login")
                    .open("p")
                    .element("label", "Token (STEADFAST_UI_TOKEN)", "for", "token")
                    .close("p")
                    .open("p")
                    .empty(
                            "input",
                            "type",
                            "password",
                            "id",
                            "token",
                            "name",
                            "token",
                            "autocomplete",
                            "current-password",
                            "autofocus",
                            "autofocus")
                    .text(" ")
                    .element("button", "Sign in", "class", "primary")
                    .close("p")
                    .close("form");
        } else {
            b.open("p")
                    .text("No token is required here. ")
                    .element("a", "Go to the overview", "href", "/")
                    .text(".")
                    .close("p");
        }
        return Layout.page("Sign in", "", b.fragment());
    }

    static String logout(String csrf, boolean tokenRequired) {
        if (!tokenRequired) {
            return Layout.message("Sign out", "This dashboard needs no sign-in (it listens on loopback only).");
        }
        return Layout.page(
                "Sign out",
                "",
                new HtmlWriter()
                        .open("form", "method", "post", "action", "/logout")
                        .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                        .element("button", "Sign out", "class", "primary")
                        .close("form")
                        .fragment());
    }
}
