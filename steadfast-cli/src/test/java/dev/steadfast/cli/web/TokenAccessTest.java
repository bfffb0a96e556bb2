package dev.steadfast.cli.web;

import dev.steadfast.cli.plugins.BuiltInHandlers;
import dev.steadfast.testkit.MariaDbServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A dashboard with a token: nothing but the probes without it. */
class TokenAccessTest {
    private static final String TOKEN = "correct-horse-battery-staple";

    @Test
    void everythingButTheProbesNeedsTheToken() throws Exception {
        try (WebFixture fx = new WebFixture(MariaDbServer.shared(), TOKEN, BuiltInHandlers.all())) {
            assertThat(fx.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(fx.get("/readyz").statusCode()).isEqualTo(200);

            HttpResponse<String> anonymous = fx.get("/");
            assertThat(anonymous.statusCode()).isEqualTo(303);
            assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
            assertThat(fx.get("/metrics").statusCode()).isEqualTo(401);
            assertThat(fx.get("/metrics", "Authorization", "Bearer wrong-token-of-some-length").statusCode()).isEqualTo(401);
            assertThat(fx.post("/failed/flush", "").statusCode()).isEqualTo(401);

            assertThat(fx.get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(fx.get("/", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);

            assertThat(fx.post("/login", "token=nope").statusCode()).isEqualTo(401);
            HttpResponse<String> login = fx.post("/login", "token=" + TOKEN);
            assertThat(login.statusCode()).isEqualTo(303);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(TOKEN);
            String value = cookie.substring(0, cookie.indexOf(';'));
            assertThat(fx.get("/", "Cookie", value).statusCode()).isEqualTo(200);
            assertThat(fx.get("/", "Cookie", "steadfast_token=forged").statusCode()).isEqualTo(303);
            assertThat(fx.get("/").body()).doesNotContain(TOKEN);
        }
    }
}
