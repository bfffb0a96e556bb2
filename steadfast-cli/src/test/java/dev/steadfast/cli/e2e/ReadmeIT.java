package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.embedded.FileTrees;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's five-minute path, command for command, as a newcomer types it (on the embedded default). */
class ReadmeIT {
    private static final Path README = Path.of("..", "README.md");
    private static final Path HOME = CliTestSupport.EMBEDDED_HOME.resolve("readme");

    @TempDir
    Path dir;

    /** The commands of the block the README marks for CI, split as a shell splits them. */
    static List<List<String>> fiveMinutePath() throws Exception {
        String readme = Files.readString(README);
        Matcher block = Pattern.compile(
                        "<!-- ci: five-minute path[^>]*-->\\s*```\\n(.*?)```\\s*<!-- /ci -->", Pattern.DOTALL)
                .matcher(readme);
        assertThat(block.find())
                .as("the README marks its five-minute path for CI")
                .isTrue();
        List<List<String>> commands = new ArrayList<>();
        for (String line : block.group(1).lines().toList()) {
            assertThat(line)
                    .as("every line of the block is a steadfast command")
                    .startsWith("./steadfast ");
            commands.add(words(line.substring("./steadfast ".length())));
        }
        return commands;
    }

    /** Words as a shell splits them: spaces separate, single quotes keep text together. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }

    @Test
    void theFiveMinutePathWorksAsWritten() throws Exception {
        // commands leave the embedded server running: one an earlier run left must not hold the data deleted here
        assertThat(new Cli(dir)
                        .run("db", "stop", "--force", "--home", HOME.toString())
                        .exitCode())
                .isZero();
        FileTrees.deleteQuietly(HOME.resolve("data")); // a newcomer's empty database; the installed binaries stay
        Files.createDirectories(HOME);
        List<List<String>> commands = fiveMinutePath();
        assertThat(commands.get(commands.size() - 1))
                .as("the path ends with the dashboard")
                .containsExactly("serve");
        Cli cli = new Cli(dir).env("STEADFAST_HOME", HOME.toString());

        // the dashboard first, in the background: it keeps the embedded server up for the commands after it
        Cli.Running serve = cli.start("serve", "--port", "0");
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> serve.out().contains("dashboard: http://"));
            String address = serve.out().replaceAll("(?s).*dashboard: (http://\\S+/).*", "$1");
            List<String> outputs = new ArrayList<>();
            for (List<String> command : commands.subList(0, commands.size() - 1)) {
                Cli.Result result = cli.run(command.toArray(String[]::new));
                assertThat(result.exitCode())
                        .as(String.join(" ", command) + "\n" + result)
                        .isZero();
                outputs.add(result.out());
            }
            assertThat(outputs.get(0)).contains("enqueued 200 jobs");
            assertThat(String.join("\n", outputs)).contains("succeeded").contains("card declined");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> overview = http.send(
                    HttpRequest.newBuilder(URI.create(address)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("Overview").contains("200");
        } finally {
            serve.terminate();
            serve.await(Duration.ofSeconds(60));
            Cli.Result stop = cli.run("db", "stop");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(stop.out()).contains("stopped the embedded MariaDB");
        }
    }

    /**
     * The launcher's first run builds the jar with Maven, whose 3.8 releases print colour resets even with -q -B:
     * none reaches the newcomer's terminal. (The build is stood in for by a program printing what Maven prints.)
     */
    @Test
    void theLaunchersFirstBuildPrintsNoEscapeSequences() throws Exception {
        Path root = Files.createDirectories(dir.resolve("clone"));
        Files.copy(Path.of("..", "steadfast"), root.resolve("steadfast"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(
                bin.resolve("mvn"),
                "#!/bin/sh\nprintf '\\033[0m\\033[0m\\033[1;31mbuilt\\033[m\\n'\n"
                        + "mkdir -p steadfast-cli/target && cp \"$REAL_JAR\" steadfast-cli/target/steadfast.jar\n");
        bin.resolve("mvn").toFile().setExecutable(true);
        ProcessBuilder launcher =
                new ProcessBuilder(root.resolve("steadfast").toString(), "--version").directory(root.toFile());
        launcher.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        launcher.environment().put("REAL_JAR", Cli.JAR.toString());
        launcher.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = launcher.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isZero();
        assertThat(out).contains("steadfast 0.1.0-SNAPSHOT");
        assertThat(err)
                .contains("building")
                .contains("built")
                .doesNotContain("\u001b")
                .doesNotContain("[0m");
    }
}
