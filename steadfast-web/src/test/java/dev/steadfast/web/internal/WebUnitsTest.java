package dev.steadfast.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.WorkerView;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.queue.WorkflowStep;
import dev.steadfast.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure logic of the web layer: sessions, the login throttle, the host allow-list, flash codes. */
class WebUnitsTest {

    @Test
    void sessionsExpireWhenIdleAndAfterTheirAbsoluteLifetime() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
        Sessions sessions = new Sessions(clock);
        Sessions.Session a = sessions.create();
        assertThat(a.id()).isNotEqualTo(a.csrf()).hasSizeGreaterThanOrEqualTo(43);
        clock.advance(Sessions.IDLE.minusMinutes(1));
        assertThat(sessions.find(a.id())).as("used within the idle time").isPresent();
        clock.advance(Sessions.IDLE.minusMinutes(1));
        assertThat(sessions.find(a.id())).as("each use restarts the idle time").isPresent();
        clock.advance(Sessions.IDLE.plusSeconds(1));
        assertThat(sessions.find(a.id())).as("idle too long").isEmpty();

        Sessions.Session b = sessions.create();
        for (Duration used = Duration.ZERO; used.compareTo(Sessions.ABSOLUTE) < 0; used = used.plusHours(1)) {
            assertThat(sessions.find(b.id())).isPresent();
            clock.advance(Duration.ofHours(1));
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.find(b.id()))
                .as("busy, but past its absolute lifetime")
                .isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void loginThrottleDoublesTheWaitAndForgetsOnSuccess() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 1; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("a");
            assertThat(throttle.waitFor("a")).as("free failure " + i).isZero();
        }
        throttle.failed("a");
        assertThat(throttle.waitFor("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("b")).as("other addresses are not held").isZero();
        clock.advance(Duration.ofSeconds(1));
        throttle.failed("a");
        assertThat(throttle.waitFor("a")).isEqualTo(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        throttle.failed("a");
        assertThat(throttle.waitFor("a")).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 30; i++) {
            throttle.failed("a");
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(throttle.waitFor("a")).isLessThanOrEqualTo(LoginThrottle.LONGEST_WAIT);
        throttle.succeeded("a");
        assertThat(throttle.waitFor("a")).isZero();
    }

    @Test
    void loginThrottleCapsFailuresAcrossAllAddresses() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.GLOBAL_PER_MINUTE; i++) {
            throttle.failed("10.0.0." + i);
        }
        assertThat(throttle.waitFor("192.0.2.1"))
                .as("a botnet's next guess waits too")
                .isPositive();
        clock.advance(Duration.ofSeconds(61));
        assertThat(throttle.waitFor("192.0.2.1")).isZero();
    }

    @Test
    void hostAllowListServesOnlyItsOwnNames() {
        HostAllowList loopback = new HostAllowList("127.0.0.1", List.of("dash.example.com"));
        assertThat(loopback.allowsHost("127.0.0.1:8080")).isTrue();
        assertThat(loopback.allowsHost("localhost")).isTrue();
        assertThat(loopback.allowsHost("LOCALHOST.:8080")).isTrue();
        assertThat(loopback.allowsHost("[::1]:8080")).isTrue();
        assertThat(loopback.allowsHost("dash.example.com:443")).isTrue();
        assertThat(loopback.allowsHost("attacker.example:8080")).isFalse();
        assertThat(loopback.allowsHost("127.0.0.1.attacker.example")).isFalse();
        assertThat(loopback.allowsHost("localhost.attacker.example")).isFalse();
        assertThat(loopback.allowsHost("10.0.0.1"))
                .as("not bound to every interface")
                .isFalse();
        assertThat(loopback.allowsOrigin("http://localhost:8080", "localhost:8080", false))
                .isTrue();
        assertThat(loopback.allowsOrigin("http://127.0.0.1:8080", "localhost:8080", false))
                .isTrue();
        assertThat(loopback.allowsOrigin("https://dash.example.com", "dash.example.com", true))
                .as("behind a TLS proxy")
                .isTrue();
        assertThat(loopback.allowsOrigin("https://dash.example.com:443", "dash.example.com", true))
                .isTrue();
        assertThat(loopback.allowsOrigin("http://attacker.example", "localhost:8080", false))
                .isFalse();
        assertThat(loopback.allowsOrigin("file://", "localhost:8080", false)).isFalse();
        assertThat(loopback.allowsOrigin("null", "localhost:8080", false)).isFalse();
        // issue 26: another port of an allowed host is another site (another service's page on localhost:3000)
        assertThat(loopback.allowsOrigin("http://localhost:3000", "localhost:8080", false))
                .isFalse();
        assertThat(loopback.allowsOrigin("https://dash.example.com", "localhost:8080", false))
                .isFalse();
        assertThat(loopback.allowsOrigin("http://dash.example.com:8443", "dash.example.com", false))
                .isFalse();
        assertThat(loopback.allowsOrigin("http://dash.example.com", "dash.example.com", true))
                .as("plain http page, TLS dashboard")
                .isFalse();

        // mounted in an application: any host the application answers to, forms only from the request's own origin
        HostAllowList mounted = HostAllowList.application();
        assertThat(mounted.allowsHost("shop.example.com")).isTrue();
        assertThat(mounted.allowsOrigin("https://shop.example.com", "shop.example.com", true))
                .isTrue();
        assertThat(mounted.allowsOrigin("http://localhost:8080", "localhost:8080", false))
                .isTrue();
        assertThat(mounted.allowsOrigin("http://localhost:9999", "localhost:8080", false))
                .as("another port, another origin")
                .isFalse();
        assertThat(mounted.allowsOrigin("https://attacker.example", "shop.example.com", true))
                .isFalse();
        assertThat(mounted.allowsOrigin("https://shop.example.com", null, true)).isFalse();

        HostAllowList everywhere = new HostAllowList("0.0.0.0", List.of());
        assertThat(everywhere.allowsHost("127.0.0.1")).isTrue();
        assertThat(everywhere.allowsHost("attacker.example")).isFalse();
    }

    @Test
    void flashMessagesComeFromCodesNeverFromTheUrl() {
        assertThat(Flash.render("retried", "3")).isEqualTo("Retried 3 job(s)");
        assertThat(Flash.render("forgotten", "1")).isEqualTo("Forgot 1 job(s)");
        assertThat(Flash.render("<script>alert(1)</script>", "1")).isEmpty();
        assertThat(Flash.render("Retried 5 jobs, and your account is locked: call 555", null))
                .isEmpty();
        assertThat(Flash.render("retried", "<b>")).isEqualTo("Retried 0 job(s)");
    }

    @Test
    void theWorkersPageSaysWhichWorkerHasStuckJobs() {
        ConnectionHealth health = new ConnectionHealth(0, 0, 0, 0, null, null);
        Instant now = Instant.now();
        String page = WorkersPage.render(
                List.of(
                        new WorkerView("w-stuck", "h", "default", now, now, true, List.of(7L), health, 1),
                        new WorkerView("w-fine", "h", "default", now, now, true, List.of(8L), health)),
                List.of());
        assertThat(page).contains("1 stuck (handler ignored its timeout; thread taken)");
        assertThat(page.indexOf("stuck ("))
                .isGreaterThan(page.indexOf("w-stuck"))
                .isLessThan(page.indexOf("w-fine"));
    }

    @Test
    void theHtmlWriterEscapesTextAndAttributesByDefault() {
        String evil = "<script>alert('x')</script>\" onmouseover=\"steal()";
        String html = new HtmlWriter()
                .open("div", "class", evil)
                .text(evil)
                .element("a", evil, "href", "/x?a=1&b=" + evil)
                .close("div")
                .toString();
        assertThat(html)
                .doesNotContain("<script>")
                .doesNotContain("\" onmouseover")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; onmouseover=&quot;steal()")
                .contains("href=\"/x?a=1&amp;b=&lt;script&gt;");
        assertThat(new HtmlWriter().element("td", null).toString()).isEqualTo("<td></td>");
        assertThat(new HtmlWriter().empty("input", "name", "q", "value", null).toString())
                .isEqualTo("<input name=\"q\">");
        HtmlWriter.Fragment inner = new HtmlWriter().element("b", "<i>").fragment();
        assertThat(new HtmlWriter().open("p").add(inner).close("p").toString()).isEqualTo("<p><b>&lt;i&gt;</b></p>");
    }

    @Test
    void timesReadAsTheCommandPrintsThem() {
        assertThat(Html.time(Instant.parse("2026-12-07T21:26:26.700Z"))).isEqualTo("2026-12-07 21:26:26 UTC");
        assertThat(Html.timeElement(Instant.parse("2026-12-07T21:26:26Z")).toString())
                .contains(">2026-12-07 21:26:26 UTC</time>");
    }

    @Test
    void aWorkflowBodyBecomesARequestInDependencyOrderAndItsGraphHasAColumnPerDepth() throws Exception {
        WorkflowRequest request = WorkflowBody.read(("{\"name\": \"order\", \"on_failure\": \"wait\", \"steps\": ["
                        + "{\"name\": \"notify\", \"type\": \"noop\", \"after\": [\"ship\", \"invoice\"]},"
                        + "{\"name\": \"ship\", \"type\": \"noop\", \"after\": [\"charge\"], \"on_failure\": \"continue\"},"
                        + "{\"name\": \"invoice\", \"type\": \"noop\", \"payload\": {\"n\": 1}, \"after\": [\"charge\"]},"
                        + "{\"name\": \"charge\", \"type\": \"noop\", \"queue\": \"money\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(request.onFailure()).isEqualTo(FailurePolicy.WAIT);
        assertThat(request.steps())
                .extracting(WorkflowRequest.Step::name)
                .containsExactly("charge", "ship", "invoice", "notify");
        assertThat(request.steps().get(0).job().queue()).isEqualTo("money");
        assertThat(request.steps().get(1).onFailure()).isEqualTo(FailurePolicy.CONTINUE);
        assertThat(request.steps().get(2).job().payloadJson()).isEqualTo("{\"n\":1}");

        List<WorkflowStep> steps = List.of(
                new WorkflowStep("charge", 1, JobStatus.SUCCEEDED, List.of(), null),
                new WorkflowStep("ship", 2, JobStatus.RUNNING, List.of("charge"), null),
                new WorkflowStep("invoice", 3, JobStatus.FAILED, List.of("charge"), null),
                new WorkflowStep("notify", 4, JobStatus.WAITING, List.of("ship", "invoice"), null),
                new WorkflowStep("late", 5, JobStatus.WAITING, List.of("charge", "notify"), null));
        assertThat(WorkflowPage.depths(steps))
                .containsEntry("charge", 0)
                .containsEntry("ship", 1)
                .containsEntry("invoice", 1)
                .containsEntry("notify", 2)
                .containsEntry("late", 3);
        String svg = WorkflowPage.graph(steps).toString();
        assertThat(svg.split("<line ", -1)).hasSize(7);
        assertThat(svg).contains("data-state=\"failed\"").contains("fill=\"" + WorkflowPage.colour("failed") + "\"");
        assertThat(svg).contains("x=\"" + (10 + 3 * 210) + "\"");

        // a step's result: masked and shortened in the table, masked as a JSON value in the API's document
        String result = "{\"chargeId\":\"ch_7\",\"api_key\":\"sk_live_hidden\"}";
        assertThat(WorkflowPage.result(result)).contains("ch_7").doesNotContain("sk_live_hidden");
        assertThat(WorkflowPage.result(null)).isEmpty();
        assertThat(WorkflowPage.result("[" + "1,".repeat(200) + "1]"))
                .hasSize(WorkflowPage.RESULT_SHOWN + 1)
                .endsWith("…");
        dev.steadfast.queue.WorkflowView view = new dev.steadfast.queue.WorkflowView(
                1,
                "order",
                FailurePolicy.CANCEL_DEPENDENTS,
                dev.steadfast.queue.WorkflowState.RUNNING,
                java.util.Map.of(),
                java.time.Instant.EPOCH,
                null,
                List.of(new WorkflowStep("charge", 1, JobStatus.SUCCEEDED, List.of(), result)));
        String json = new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(dev.steadfast.web.WorkflowJson.detail(view));
        assertThat(json).contains("\"result\":{\"chargeId\":\"ch_7\"").doesNotContain("sk_live_hidden");
    }
}
