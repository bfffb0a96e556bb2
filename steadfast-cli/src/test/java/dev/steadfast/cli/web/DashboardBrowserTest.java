package dev.steadfast.cli.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.cli.plugins.BuiltInHandlers;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.Worker;
import dev.steadfast.testkit.PrivateMariaDb;
import dev.steadfast.web.WebSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser (Debian's headless Chromium, driven by its chromedriver) sees a failed job, clicks
 * Retry, and sees the job pending again. Saves screenshots under target/.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path profile;

    @Test
    void aFailedJobIsRetriedFromTheDashboard() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("STEADFAST_REQUIRE_BROWSER") != null) {
            assertThat(present)
                    .as("chromium and chromium-driver must be installed (.ci/run installs them)")
                    .isTrue();
        }
        Assumptions.assumeTrue(
                present, "Debian's chromium and chromium-driver are not installed; .ci/run installs them");

        try (WebFixture fx = new WebFixture(DB.server(), null, BuiltInHandlers.all())) {
            long jobId = failedJobOnAQueueNoWorkerWatches(fx);
            for (int i = 0; i < 30; i++) {
                fx.queue.enqueue(JobRequest.of("noop").queue("web").build());
            }
            ChromeDriver browser = browser();
            try {
                browser.get(fx.base() + "/");
                assertThat(browser.getTitle()).startsWith("Overview");
                screenshot(browser, "dashboard-overview.png");

                browser.findElement(By.linkText("Failed")).click();
                WebElement row = browser.findElement(By.cssSelector("tr[data-job='" + jobId + "']"));
                assertThat(row.findElement(By.cssSelector("td.error")).getText())
                        .contains("card declined");
                screenshot(browser, "dashboard-failed.png");

                row.findElement(By.name("retry-one")).click();
                assertThat(browser.findElement(By.id("flash")).getText()).isEqualTo("Retried 1 job(s)");
                assertThat(browser.findElements(By.cssSelector("tr[data-job='" + jobId + "']")))
                        .isEmpty();

                browser.findElement(By.linkText("Pending")).click();
                WebElement link = browser.findElement(By.cssSelector("a[href='/jobs/" + jobId + "']"));
                link.click();
                assertThat(browser.findElement(By.cssSelector("#job .state-pending"))
                                .getText())
                        .isEqualTo("pending");
                screenshot(browser, "dashboard-retried-job.png");

                liveRefreshRelativeTimesAndPhoneLayout(browser, fx, jobId);
                signInAndOut(browser, fx);
            } finally {
                browser.quit();
            }
        }
    }

    /** The page follows the queue without a reload, times read "3 min ago", and a 390 px screen needs no sideways scroll. */
    private static void liveRefreshRelativeTimesAndPhoneLayout(ChromeDriver browser, WebFixture fx, long jobId)
            throws Exception {
        browser.get(fx.base() + "/jobs/" + jobId);
        WebElement created = browser.findElement(By.cssSelector("#job time"));
        assertThat(created.getText()).matches("just now|\\d+ (min|h|d) ago");
        assertThat(created.getAttribute("title")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(browser.findElements(By.cssSelector("#history tr")))
                .as("header and one attempt")
                .hasSize(2);

        browser.get(fx.base() + "/");
        browser.executeScript("window.notReloaded = true;");
        String before = scheduledCard(browser);
        for (int i = 0; i < 3; i++) {
            fx.queue.enqueue(JobRequest.of("noop")
                    .queue("browser-live")
                    .delay(Duration.ofHours(1))
                    .build());
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !scheduledCard(browser).equals(before));
        assertThat(browser.executeScript("return window.notReloaded === true;"))
                .as("refreshed in place")
                .isEqualTo(true);
        browser.findElement(By.id("live")).click();
        assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("Live: paused");
        String paused = scheduledCard(browser);
        fx.queue.enqueue(JobRequest.of("noop")
                .queue("browser-live")
                .delay(Duration.ofHours(1))
                .build());
        Thread.sleep(7_000); // proves an absence: no refresh while paused, for longer than a refresh period
        assertThat(scheduledCard(browser)).isEqualTo(paused);
        browser.findElement(By.id("live")).click();
        assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("Live: on");

        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            for (String page : new String[] {"/", "/failed", "/jobs?state=scheduled", "/jobs/" + jobId}) {
                browser.get(fx.base() + page);
                Object overflow = browser.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(((Number) overflow).longValue())
                        .as("sideways overflow of " + page + " at 390 px")
                        .isLessThanOrEqualTo(1);
            }
            assertThat(signOutShown(browser))
                    .as("issue 27: no sign-in here, nothing to sign out of")
                    .isFalse();
            long failed = failedJobOnAQueueNoWorkerWatches(
                    fx,
                    "card declined by the issuing bank after the third" + " verification step: "
                            + "the cardholder's bank refused the charge; ".repeat(6));
            browser.get(fx.base() + "/failed");
            screenshot(browser, "dashboard-phone.png");
            // issue 27: a failed job's row was 300 px tall at 390 px, its buttons off-screen to the right
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) browser.executeScript("""
                    const row = document.querySelector("tr[data-job='" + arguments[0] + "']");
                    const r = row.getBoundingClientRect();
                    const b = [...row.querySelectorAll('button')].map(x => x.getBoundingClientRect());
                    return {height: r.height, buttons: b.length, left: Math.min(...b.map(x => x.left)),
                            right: Math.max(...b.map(x => x.right)), bottom: Math.max(...b.map(x => x.bottom)),
                            width: document.documentElement.clientWidth, viewHeight: window.innerHeight};""", failed);
            assertThat(((Number) row.get("buttons")).intValue())
                    .as("Retry and Forget")
                    .isEqualTo(2);
            assertThat(((Number) row.get("height")).doubleValue())
                    .as("the row's height at 390 px: " + row)
                    .isLessThanOrEqualTo(130);
            assertThat(((Number) row.get("left")).doubleValue())
                    .as("buttons within the screen: " + row)
                    .isGreaterThanOrEqualTo(0);
            assertThat(((Number) row.get("right")).doubleValue())
                    .as("buttons within the screen: " + row)
                    .isLessThanOrEqualTo(((Number) row.get("width")).doubleValue());
            assertThat(((Number) row.get("bottom")).doubleValue())
                    .as("buttons within the first screen: " + row)
                    .isLessThanOrEqualTo(((Number) row.get("viewHeight")).doubleValue());
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    /** Whether the navigation offers "Sign out" (read by script: a find of what is absent waits the implicit wait out). */
    private static boolean signOutShown(ChromeDriver browser) {
        return (Boolean) browser.executeScript(
                "return [...document.querySelectorAll('header a')].some(a => a.textContent === 'Sign out');");
    }

    /** Read in one script call: the live refresh may replace the page between a find and a read. */
    private static String scheduledCard(ChromeDriver browser) {
        return (String) browser.executeScript(
                "return document.querySelector(\"a.card[href='/jobs?state=scheduled'] .n\").textContent;");
    }

    /** With a token: the styled login page, a session, and signing out that ends it. */
    private static void signInAndOut(ChromeDriver browser, WebFixture fx) throws Exception {
        String token = "browser-test-token-0123456789";
        try (WebServer web = WebServer.start(new WebSettings("127.0.0.1", 0, token), fx.queue, fx.registry, null)) {
            String base = "http://127.0.0.1:" + web.port();
            browser.get(base + "/");
            assertThat(browser.getTitle()).startsWith("Sign in");
            assertThat(browser.findElement(By.tagName("header")).getCssValue("background-color"))
                    .as("the stylesheet loads before signing in")
                    .isEqualTo("rgba(29, 35, 48, 1)");
            screenshot(browser, "dashboard-login.png");
            assertThat(signOutShown(browser))
                    .as("issue 27: the login page offers no sign-out")
                    .isFalse();
            browser.findElement(By.id("token")).sendKeys("wrong-token-of-some-length");
            browser.findElement(By.cssSelector("form.login button")).click();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !browser.findElements(By.id("login-error")).isEmpty());
            assertThat(browser.findElement(By.id("login-error")).getText()).isEqualTo("Wrong token.");
            browser.findElement(By.id("token")).sendKeys(token);
            browser.findElement(By.cssSelector("form.login button")).click();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> browser.getTitle().startsWith("Overview"));
            assertThat(browser.manage().getCookieNamed("steadfast_session").isHttpOnly())
                    .isTrue();
            assertThat(signOutShown(browser)).as("signed in with a session").isTrue();

            browser.findElement(By.linkText("Sign out")).click();
            browser.findElement(By.cssSelector("form[action='/logout'] button")).click();
            assertThat(browser.findElement(By.id("flash")).getText()).isEqualTo("Signed out");
            browser.get(base + "/failed");
            assertThat(browser.getTitle()).as("the session ended on the server").startsWith("Sign in");
        }
    }

    private static long failedJobOnAQueueNoWorkerWatches(WebFixture fx) throws Exception {
        return failedJobOnAQueueNoWorkerWatches(fx, "card declined <b>twice</b>");
    }

    private static long failedJobOnAQueueNoWorkerWatches(WebFixture fx, String message) throws Exception {
        long id = fx.queue.enqueue(JobRequest.of("fail")
                .queue("browser")
                .maxAttempts(1)
                .payload(Map.of("message", message))
                .build());
        Worker once = Worker.builder(fx.queue)
                .queues(List.of("browser"))
                .handler(BuiltInHandlers.all().get(2))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                .build();
        once.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> fx.queue.browser().failures(JobFilter.all(), null, 100).stream()
                            .anyMatch(f -> f.id() == id));
        } finally {
            once.stop();
            once.awaitTermination(Duration.ofSeconds(10));
        }
        return id;
    }

    private ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        return driver;
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
