package dev.steadfast.cli.e2e;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A user's handler, from the examples module's jar, loaded by {@code --plugins DIR}. */
class PluginIT {
    @TempDir
    Path dir;

    @Test
    void theExamplePluginCountsPageViewsExactlyOnce() throws Exception {
        Path examples = Path.of(System.getProperty("steadfast.examples.jar"));
        assertThat(examples).as("the examples module is built before the CLI's tests").exists();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(examples, plugins.resolve(examples.getFileName()));

        try (MariaDbServer server = MariaDbServer.launch()) {
            Cli cli = CliTestSupport.against(dir, server);
            String url = server.url(JdbcDriver.MARIADB);
            assertThat(cli.run("enqueue", "--url", url, "--type", "page-view", "--payload", "{\"page\": \"/pricing\"}",
                    "--count", "25").exitCode()).isZero();
            assertThat(cli.run("enqueue", "--url", url, "--type", "page-view", "--payload", "{\"page\": \"/\"}",
                    "--count", "5").exitCode()).isZero();

            Cli.Result work = cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(work.exitCode()).as(work.toString()).isZero();
            assertThat(work.err()).contains("job types: [noop, sleep, fail, page-view]");
            assertThat(server.queryLong("SELECT views FROM example_page_views WHERE page = '/pricing'")).isEqualTo(25);
            assertThat(server.queryLong("SELECT views FROM example_page_views WHERE page = '/'")).isEqualTo(5);

            // without the plugin, the type is unknown: the job fails at once with a clear message
            cli.run("enqueue", "--url", url, "--type", "page-view", "--payload", "{\"page\": \"/x\"}", "--max-attempts", "5");
            cli.run("work", "--url", url, "--stop-when-empty");
            assertThat(cli.run("failed", "list", "--url", url).out()).contains("no handler for job type 'page-view'");
        }
    }
}
