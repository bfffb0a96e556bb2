package dev.steadfast.cli.web;

import dev.steadfast.cli.plugins.BuiltInHandlers;
import dev.steadfast.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token-protected dashboard attacked as the security review did: forged Host and Origin (DNS rebinding),
 * forged and stale sessions, the token in a URL, guessing, a wrong Bearer header next to a valid cookie.
 */
class WebSecurityTest {
    private static final String TOKEN = "correct-horse-battery-staple";
    private static WebFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new WebFixture(MariaDbServer.shared(), TOKEN, BuiltInHandlers.all());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static String signIn() throws Exception {
        HttpResponse<String> login = fx.post("/login", "token=" + TOKEN);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void theJobsApiTakesJobsWithTheBearerTokenOnlyAndSaysWhatIsWrong() throws Exception {
        String bearer = "Bearer " + TOKEN;
        String job = "{\"type\": \"noop\", \"queue\": \"api\", \"payload\": {\"n\": 1}, \"delay\": \"1h\"}";
        assertThat(fx.postJson("/api/jobs", job).statusCode()).as("no token").isEqualTo(401);
        assertThat(fx.postJson("/api/jobs", job, "Authorization", "Bearer wrong-token-of-some-length").statusCode()).isEqualTo(401);
        assertThat(fx.postJson("/api/jobs", job, "Cookie", signIn()).statusCode()).as("a browser session is no API token").isEqualTo(401);

        HttpResponse<String> created = fx.postJson("/api/jobs", job, "Authorization", bearer);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = Long.parseLong(created.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
        assertThat(created.body()).contains("\"existing\":false");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/jobs/" + id);
        HttpResponse<String> shown = fx.get("/api/jobs/" + id, "Authorization", bearer);
        assertThat(shown.body()).contains("\"state\":\"scheduled\"").contains("\"queue\":\"api\"");
        assertThat(fx.get("/api/jobs/" + id).statusCode()).isEqualTo(401);
        assertThat(fx.get("/api/jobs/987654321", "Authorization", bearer).statusCode()).isEqualTo(404);

        String unique = "{\"type\": \"noop\", \"queue\": \"api\", \"unique_key\": \"order-7\", \"delay\": \"1h\"}";
        HttpResponse<String> first = fx.postJson("/api/jobs", unique, "Authorization", bearer);
        HttpResponse<String> again = fx.postJson("/api/jobs", unique, "Authorization", bearer);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"existing\":true").contains(first.body().replaceAll(".*(\"id\":\\d+).*", "$1"));

        // mistakes: a 400 (or 413, 415) with a JSON error, never a stack trace
        for (String[] bad : new String[][] {
                {"{\"type\": ", "not valid JSON"},
                {"[1, 2]", "must be a JSON object"},
                {"{\"payload\": {}}", "'type' is required"},
                {"{\"type\": \"noop\", \"max_attempts\": 0}", "maxAttempts must be at least 1"},
                {"{\"type\": \"noop\", \"delay\": \"soon\"}", "is not a duration"},
                {"{\"type\": \"noop\", \"run_at\": \"tomorrow\"}", "could not be parsed"},
                {"{\"type\": \"noop\", \"delay\": \"1s\", \"run_at\": \"2030-01-01T00:00:00Z\"}", "not both"},
                {"{\"type\": \"noop\", \"queue\": \"\"}", "a queue name of 1 to 64 characters"},
                {"{\"type\": \"noop\", \"sneaky\": 1}", "unknown field 'sneaky'"}}) {
            HttpResponse<String> refused = fx.postJson("/api/jobs", bad[0], "Authorization", bearer);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(refused.body()).as(bad[0]).contains("\"error\":").contains(bad[1]).doesNotContain("Exception");
        }
        assertThat(fx.post("/api/jobs", "type=noop", "Authorization", bearer).statusCode()).as("a form is no JSON").isEqualTo(415);
        String huge = "{\"type\": \"noop\", \"payload\": \"" + "x".repeat(fx.queue.maxPayloadBytes() + 100_000) + "\"}";
        // headers only, declaring the body's length: the server must refuse by the declared length without reading
        // the body (sending it as well races the refusal: the server closes while the client still writes, and the
        // client reads a reset instead of the answer)
        RawHttp.Response bounded = RawHttp.send(fx.web.port(), "POST", "/api/jobs", null, "Host: localhost",
                "Authorization: " + bearer,
                "Content-Type: application/json", "Content-Length: " + huge.length());
        assertThat(bounded.status()).as("bounded").isEqualTo(413);
        String tooBigPayload = "{\"type\": \"noop\", \"payload\": \"" + "x".repeat(fx.queue.maxPayloadBytes()) + "\"}";
        assertThat(fx.postJson("/api/jobs", tooBigPayload, "Authorization", bearer).statusCode()).isEqualTo(413);

        HttpResponse<String> openApi = fx.get("/api/openapi.json");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("\"openapi\": \"3.1.0\"").contains("/api/jobs/{id}");
    }

    @Test
    void everythingButTheProbesAndTheLoginPageNeedsTheToken() throws Exception {
        assertThat(fx.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(fx.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(fx.get("/login").statusCode()).isEqualTo(200);
        assertThat(fx.get("/static/dashboard.css").body()).as("the login page is styled").contains("--accent");

        HttpResponse<String> anonymous = fx.get("/");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
        assertThat(fx.get("/jobs/1/payload").statusCode()).isEqualTo(303);
        assertThat(fx.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(fx.get("/metrics", "Authorization", "Bearer wrong-token-of-some-length").statusCode()).isEqualTo(401);
        assertThat(fx.post("/failed/retry", "all=1").statusCode()).isEqualTo(401);
        assertThat(fx.get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(fx.get("/", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(fx.get("/").body()).doesNotContain(TOKEN);
    }

    @Test
    void aSessionIsRandomTellsNothingAboutTheTokenAndEndsAtLogout() throws Exception {
        assertThat(fx.post("/login", "token=nope-nope-nope-nope").statusCode()).isEqualTo(401);
        HttpResponse<String> login = fx.post("/login", "token=" + TOKEN);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("steadfast_session=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Max-Age=86400").doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String second = signIn();
        assertThat(second).as("each login gets its own session").isNotEqualTo(cookie);
        String value = cookie.substring(cookie.indexOf('=') + 1);
        assertThat(value).hasSizeGreaterThanOrEqualTo(43).doesNotContain(TOKEN)
                .isNotEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(fx.get("/", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(fx.get("/", "Cookie", "steadfast_session=forged").statusCode()).isEqualTo(303);

        String logoutPage = fx.get("/logout", "Cookie", cookie).body();
        String csrf = logoutPage.substring(logoutPage.indexOf("name=\"csrf\" value=\"") + 19);
        csrf = csrf.substring(0, csrf.indexOf('"'));
        assertThat(fx.post("/logout", "csrf=wrong", "Cookie", cookie).statusCode()).as("logout needs the CSRF token").isEqualTo(403);
        HttpResponse<String> logout = fx.post("/logout", "csrf=" + csrf, "Cookie", cookie);
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(logout.headers().firstValue("Location")).hasValue("/login?done=signed_out");
        assertThat(fx.get("/login?done=signed_out").body()).contains("Signed out");
        assertThat(fx.get("/", "Cookie", cookie).statusCode()).as("the session is gone on the server").isEqualTo(303);
        assertThat(fx.get("/", "Cookie", second).statusCode()).as("other sessions live on").isEqualTo(200);
    }

    @Test
    void theCookieIsSecureBehindAnHttpsProxy() throws Exception {
        HttpResponse<String> login = fx.post("/login", "token=" + TOKEN, "X-Forwarded-Proto", "https");
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    @Test
    void theTokenIsNeverTakenFromAUrl() throws Exception {
        HttpResponse<String> viaQuery = fx.post("/login?token=" + TOKEN, "");
        assertThat(viaQuery.statusCode()).isEqualTo(400);
        assertThat(viaQuery.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(fx.get("/?token=" + TOKEN).statusCode()).isEqualTo(303);
    }

    @Test
    void aBearerHeaderWinsOverACookie() throws Exception {
        String cookie = signIn();
        assertThat(fx.get("/metrics", "Cookie", cookie, "Authorization", "Bearer wrong-token-of-some-length").statusCode())
                .as("a wrong header is refused even next to a valid cookie").isEqualTo(401);
        assertThat(fx.get("/metrics", "Cookie", "steadfast_session=forged", "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void guessingIsSlowedDown() throws Exception {
        // a dashboard of its own: its throttle must not hold back the other tests' logins from the same address
        try (WebServer web = WebServer.start(new WebSettings("127.0.0.1", 0, TOKEN), fx.queue, fx.registry, null)) {
            int refused = 0;
            for (int i = 0; i < LoginThrottle.FREE_FAILURES + 2; i++) {
                if (RawHttp.send(web.port(), "POST", "/login", "token=guess-" + i, "Host: localhost").status() == 429) {
                    refused++;
                }
            }
            assertThat(refused).as("wrong guesses after the free ones are answered 429").isGreaterThan(0);
            RawHttp.Response held = RawHttp.send(web.port(), "POST", "/login", "token=" + TOKEN, "Host: localhost");
            assertThat(held.status()).as("even the right token waits its turn: guessing cannot win by luck").isEqualTo(429);
            assertThat(held.header("Retry-After")).isNotNull();
            assertThat(RawHttp.send(web.port(), "GET", "/healthz", null, "Host: localhost").status()).isEqualTo(200);
        }
    }

    @Test
    void forgedHostNamesAreRefusedOnEveryPageButTheProbes() throws Exception {
        String cookie = signIn();
        int port = fx.web.port();
        for (String path : new String[] {"/", "/failed", "/login", "/jobs?state=pending", "/static/dashboard.css"}) {
            RawHttp.Response forged = RawHttp.send(port, "GET", path, null, "Host: attacker.example:" + port, "Cookie: " + cookie);
            assertThat(forged.status()).as(path).isEqualTo(421);
            assertThat(forged.body()).doesNotContain("csrf");
        }
        assertThat(RawHttp.send(port, "GET", "/healthz", null, "Host: 10.1.2.3:" + port).status()).as("a kubelet probes by address")
                .isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/", null, "Host: localhost:" + port, "Cookie: " + cookie).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/", null, "Host: 127.0.0.1:" + port, "Cookie: " + cookie).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/", null, "Host: [::1]:" + port, "Cookie: " + cookie).status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/metrics", null, "Host: prometheus-sees-me-as.example",
                "Authorization: Bearer " + TOKEN).status()).as("a Bearer header is no ambient credential: rebinding cannot send it")
                .isEqualTo(200);
    }

    @Test
    void aRebindingPageCannotActEvenWithAStolenCsrfToken() throws Exception {
        String cookie = signIn();
        String csrf = fx.csrf("Cookie", cookie);
        int port = fx.web.port();
        RawHttp.Response rebound = RawHttp.send(port, "POST", "/failed/retry?all=1", "csrf=" + csrf,
                "Host: attacker.example:" + port, "Origin: http://attacker.example:" + port, "Cookie: " + cookie);
        assertThat(rebound.status()).isEqualTo(421);
        RawHttp.Response crossSite = RawHttp.send(port, "POST", "/failed/retry?all=1", "csrf=" + csrf,
                "Host: localhost:" + port, "Origin: http://attacker.example", "Cookie: " + cookie);
        assertThat(crossSite.status()).isEqualTo(403);
        RawHttp.Response nullOrigin = RawHttp.send(port, "POST", "/failed/retry?all=1", "csrf=" + csrf,
                "Host: localhost:" + port, "Origin: null", "Cookie: " + cookie);
        assertThat(nullOrigin.status()).isEqualTo(403);
        RawHttp.Response sameSite = RawHttp.send(port, "POST", "/failed/retry?all=1", "csrf=" + csrf + "&confirmed=1",
                "Host: localhost:" + port, "Origin: http://localhost:" + port, "Cookie: " + cookie);
        assertThat(sameSite.status()).as(sameSite.raw()).isEqualTo(303);
        assertThat(fx.csrf("Cookie", signIn())).as("each session has its own CSRF token").isNotEqualTo(csrf);
    }
}
