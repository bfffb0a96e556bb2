package dev.steadfast.cli.e2e;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
            assertThat(work.err()).contains("job types: [noop, sleep, fail, page-view]")
                    .containsPattern("loading plugin .*steadfast-examples-[^ ]*\\.jar \\(sha256 [0-9a-f]{64}\\)");
            assertThat(server.queryLong("SELECT views FROM example_page_views WHERE page = '/pricing'")).isEqualTo(25);
            assertThat(server.queryLong("SELECT views FROM example_page_views WHERE page = '/'")).isEqualTo(5);

            // without the plugin, the type is unknown: the job fails at once with a clear message
            cli.run("enqueue", "--url", url, "--type", "page-view", "--payload", "{\"page\": \"/x\"}", "--max-attempts", "5");
            cli.run("work", "--url", url, "--stop-when-empty");
            assertThat(cli.run("failed", "list", "--url", url).out()).contains("no handler for job type 'page-view'");

            // a jar, or a directory, that another user could replace would run as this worker: refused
            Path jar = plugins.resolve(examples.getFileName());
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-r--"));
            Cli.Result writableJar = cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(writableJar.exitCode()).as(writableJar.toString()).isEqualTo(2);
            assertThat(writableJar.err()).contains("refusing plugin path", "other users can write to it", "chmod go-w");
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));
            Cli.Result writableDir = cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(writableDir.exitCode()).as(writableDir.toString()).isEqualTo(2);
            assertThat(writableDir.err()).contains("refusing plugin path " + plugins);
        }
    }
}
