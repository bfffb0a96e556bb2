package dev.steadfast.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedPlatformTest {
    @Test
    void onlyLinuxOnX8664WithTheBinariesRunsTheEmbeddedServer() {
        assertThat(EmbeddedPlatform.problem("Linux", "amd64", true)).isEmpty();
        assertThat(EmbeddedPlatform.problem("Linux", "x86_64", true)).isEmpty();
        assertThat(EmbeddedPlatform.problem("Mac OS X", "aarch64", true))
                .get()
                .asString()
                .contains("Linux x86-64 only (this is Mac OS X aarch64)")
                .contains("--url");
        assertThat(EmbeddedPlatform.problem("Linux", "aarch64", true))
                .get()
                .asString()
                .contains("Linux x86-64 only");
        assertThat(EmbeddedPlatform.problem("Windows 11", "amd64", true)).isPresent();
        assertThat(EmbeddedPlatform.problem("Linux", "amd64", false))
                .get()
                .asString()
                .contains("steadfast-slim.jar")
                .contains("--url");
    }

    @Test
    void thisBuildRunsItHere() {
        assertThat(EmbeddedPlatform.problemHere())
                .as("the tests run on Linux x86-64 with the binaries")
                .isEmpty();
    }
}
