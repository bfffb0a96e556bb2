package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's handler, from the examples module's jar, loaded by {@code --plugins DIR}. */
class PluginIT {
    @TempDir
    Path dir;

    @Test
    void theExamplePluginCountsPageViewsExactlyOnce() throws Exception {
        Path examples = Path.of(System.getProperty("steadfast.examples.jar"));
        assertThat(examples)
                .as("the examples module is built before the CLI's tests")
                .exists();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(examples, plugins.resolve(examples.getFileName()));

        try (MariaDbServer server = MariaDbServer.launch()) {
            Cli cli = CliTestSupport.against(dir, server);
            String url = server.url(JdbcDriver.MARIADB);
            assertThat(cli.run("migrate", "--url", url).exitCode())
                    .as("only migrate creates the schema")
                    .isZero();
            assertThat(cli.run(
                                    "enqueue",
                                    "--url",
                                    url,
                                    "--type",
                                    "page-view",
                                    "--payload",
                                    "{\"page\": \"/pricing\"}",
                                    "--count",
                                    "25")
                            .exitCode())
                    .isZero();
            assertThat(cli.run(
                                    "enqueue",
                                    "--url",
                                    url,
                                    "--type",
                                    "page-view",
                                    "--payload",
                                    "{\"page\": \"/\"}",
                                    "--count",
                                    "5")
                            .exitCode())
                    .isZero();

            Cli.Result work = cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(work.exitCode()).as(work.toString()).isZero();
            assertThat(work.err())
                    .contains("job types: noop, sleep, fail, page-view")
                    .contains("with concurrency 4 and a pool of 8 connections")
                    .containsPattern("loading plugin .*steadfast-examples-[^ ]*\\.jar \\(sha256 [0-9a-f]{64}\\)");
            assertThat(server.queryLong("SELECT views FROM example_page_views WHERE page = '/pricing'"))
                    .isEqualTo(25);
            assertThat(server.queryLong("SELECT views FROM example_page_views WHERE page = '/'"))
                    .isEqualTo(5);

            // a worker without the plugin never claims the type (a rolling deploy: the new type waits for new workers),
            // and --stop-when-empty stops once nothing it can run is left
            cli.run(
                    "enqueue",
                    "--url",
                    url,
                    "--type",
                    "page-view",
                    "--payload",
                    "{\"page\": \"/x\"}",
                    "--max-attempts",
                    "5");
            cli.run("enqueue", "--url", url, "--type", "noop");
            Cli.Result without = cli.run("work", "--url", url, "--stop-when-empty");
            assertThat(without.exitCode()).as(without.toString()).isZero();
            assertThat(without.err()).contains("hold no job of types fail, noop, sleep: stopping");
            assertThat(
                            server.queryLong(
                                    "SELECT COUNT(*) FROM sf_job WHERE type = 'page-view' AND state = 'pending' AND attempts = 0"))
                    .isEqualTo(1);
            assertThat(cli.run("failed", "list", "--url", url).out()).doesNotContain("page-view");
            Cli.Result with = cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(with.exitCode()).as(with.toString()).isZero();
            assertThat(server.queryLong("SELECT views FROM example_page_views WHERE page = '/x'"))
                    .isEqualTo(1);

            // the pool follows --concurrency (a transactional handler holds a connection per thread)
            Cli.Running wide = cli.start("work", "--url", url, "--concurrency", "12", "--queue", "idle");
            await().atMost(Duration.ofSeconds(60)).until(() -> wide.err().contains("a pool of 16 connections"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.queryLong("SELECT COUNT(*) FROM information_schema.processlist WHERE user = '"
                                    + server.user() + "'")
                            >= 16);
            wide.terminate();
            assertThat(wide.await(Duration.ofSeconds(60)).exitCode()).isZero();

            // so would a jar a plugin's manifest pulls in (Class-Path), which the class loader opens unasked
            Path lib = Files.createDirectories(dir.resolve("lib"));
            Path dependency = jar(lib.resolve("dependency.jar"), null);
            Path pulling = jar(plugins.resolve("pulling.jar"), "../lib/dependency.jar");
            Files.setPosixFilePermissions(dependency, PosixFilePermissions.fromString("rw-rw-rw-"));
            Cli.Result writableDependency =
                    cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(writableDependency.exitCode())
                    .as(writableDependency.toString())
                    .isEqualTo(2);
            assertThat(writableDependency.err().strip())
                    .endsWith("refusing plugin path " + dependency + " (in the Class-Path of plugin " + pulling
                            + "): other users can write to it (chmod go-w " + dependency + ")");
            Files.delete(pulling);

            // a jar, or a directory, that another user could replace would run as this worker: refused
            Path jar = plugins.resolve(examples.getFileName());
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-r--"));
            Cli.Result writableJar =
                    cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(writableJar.exitCode()).as(writableJar.toString()).isEqualTo(2);
            assertThat(writableJar.err()).contains("refusing plugin path", "other users can write to it", "chmod go-w");
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));
            Cli.Result writableDir =
                    cli.run("work", "--url", url, "--plugins", plugins.toString(), "--stop-when-empty");
            assertThat(writableDir.exitCode()).as(writableDir.toString()).isEqualTo(2);
            assertThat(writableDir.err()).contains("refusing plugin path " + plugins);
        }
    }

    private static Path jar(Path path, String classPath) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (var out = Files.newOutputStream(path);
                var jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        return path;
    }
}
