package dev.steadfast.web.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the dashboard's route table: method, path pattern, what the caller must have shown, and the
 * action. The {@link Router} enforces the guard before the action runs, so no action can forget it.
 */
record Route(String method, Pattern path, Guard guard, int maxBody, Action action) {

    /** What a request must pass before its action runs. */
    enum Guard {
        /** Health probes: any host name, no token (a kubelet asks by pod address). */
        PROBE,
        /** An allowed host name; no token (the login page, the stylesheet). */
        PUBLIC,
        /** An allowed host name and the token (Bearer or session). */
        SIGNED_IN,
        /** A state change: as {@link #SIGNED_IN}, plus a same-origin POST carrying the caller's CSRF token. */
        ACTION,
        /** The HTTP API for programs: a valid {@code Authorization: Bearer} token, always (a dashboard without a token has no API). */
        API
    }

    /** The work of a route. */
    @FunctionalInterface
    interface Action {
        Reply run(Request request, Access.Caller caller, Matcher path) throws Exception;
    }

    static Route get(String path, Guard guard, Action action) {
        return new Route("GET", Pattern.compile(path), guard, 0, action);
    }

    /** A form post: its body is at most {@link Request#MAX_FORM_BYTES}. */
    static Route post(String path, Guard guard, Action action) {
        return new Route("POST", Pattern.compile(path), guard, Request.MAX_FORM_BYTES, action);
    }

    /** A DELETE: no body is read. */
    static Route delete(String path, Guard guard, Action action) {
        return new Route("DELETE", Pattern.compile(path), guard, 0, action);
    }

    /** A post whose body may be up to {@code maxBody} bytes (read only for a caller the guard lets in). */
    static Route post(String path, Guard guard, int maxBody, Action action) {
        return new Route("POST", Pattern.compile(path), guard, maxBody, action);
    }
}
