package dev.steadfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every steadfast command line in the deployment recipes is one the command accepts, flag for flag. */
class RecipesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern JAR_LINE = Pattern.compile("-jar \\S+\\.jar (.+)$");
    private static final Pattern JSON_ARGS = Pattern.compile("(?:args:|CMD)\\s*(\\[[^\\]]*\\])", Pattern.DOTALL);

    @Test
    void everyRecipeRunsCommandsThatExist() throws Exception {
        List<List<String>> commands = new ArrayList<>();
        try (var files = Files.walk(DEPLOY)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                for (String line : text.lines().toList()) {
                    Matcher m = JAR_LINE.matcher(line.trim());
                    if (m.find() && !line.trim().startsWith("#") && !line.trim().startsWith(";")) {
                        commands.add(Arrays.asList(m.group(1).trim().split("\\s+")));
                    }
                }
                Matcher args = JSON_ARGS.matcher(text);
                while (args.find()) {
                    commands.add(Arrays.asList(
                            new ObjectMapper().readValue(args.group(1).replaceAll("\\s+", " "), String[].class)));
                }
            }
        }
        assertThat(commands)
                .as("supervisor, systemd (2), container, kubernetes (2)")
                .hasSizeGreaterThanOrEqualTo(6);
        for (List<String> command : commands) {
            CommandLine cli = new CommandLine(new SteadfastCommand());
            CommandLine.ParseResult parsed = cli.parseArgs(command.toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).as(String.join(" ", command)).isTrue();
            assertThat(parsed.subcommand().commandSpec().name()).isIn("work", "migrate", "serve");
        }
    }

    /** The PHP example's supervisor program runs the jar as the deployment recipes do, not the launcher that needs Maven. */
    @Test
    void thePhpExampleRunsTheJarUnderSupervisor() throws Exception {
        String readme = Files.readString(Path.of("..", "examples", "php", "README.md"));
        Matcher program = Pattern.compile("(?m)^command=(.+(?:\\n[ \\t]+.+)*)").matcher(readme);
        assertThat(program.find())
                .as("a supervisor program in examples/php/README.md")
                .isTrue();
        String command = program.group(1).replaceAll("\\s+", " ").trim();
        Matcher jar = Pattern.compile("^/usr/bin/java( -\\S+)* -jar /opt/steadfast/steadfast-slim\\.jar (.+)$")
                .matcher(command);
        assertThat(jar.matches()).as(command).isTrue();
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("(?:[^\\s\"]+|\"[^\"]*\")+").matcher(jar.group(2));
        while (word.find()) {
            words.add(word.group().replace("\"", ""));
        }
        CommandLine.ParseResult parsed =
                new CommandLine(new SteadfastCommand()).parseArgs(words.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("work");
        assertThat(parsed.subcommand().matchedOptionValue("--exec", List.of()))
                .contains("book=php /srv/app/jobs/book.php");
    }

    /** README and CONTRIBUTING give the same time for the whole suite. */
    @Test
    void theDocsAgreeOnHowLongTheSuiteTakes() throws Exception {
        Pattern minutes = Pattern.compile("about (\\d+) minutes on \\d+ cores");
        List<String> said = new ArrayList<>();
        for (String doc : List.of("README.md", "CONTRIBUTING.md")) {
            Matcher m = minutes.matcher(Files.readString(Path.of("..", doc)));
            assertThat(m.find()).as(doc + " says how long mvn -B verify takes").isTrue();
            said.add(m.group());
        }
        assertThat(said).as("README.md, CONTRIBUTING.md").containsOnly(said.get(0));
    }

    /**
     * Secrets reach the worker as files, never through its environment, where a job command of the same user can read
     * them ({@code /proc/PPID/environ}); and in the image java is not PID 1: an init forwards signals and reaps orphans.
     */
    @Test
    void recipesGiveSecretsAsFilesAndTheImageHasAnInit() throws Exception {
        Pattern secretInEnvironment = Pattern.compile(
                "(?m)^[^#;\\n]*\\b(STEADFAST_PASSWORD|STEADFAST_UI_TOKEN|STEADFAST_WEBHOOK_URL)\\b(?!_FILE)");
        try (var files = Files.walk(DEPLOY)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file))
                        .as(file + " passes a secret in the environment")
                        .doesNotContainPattern(secretInEnvironment);
            }
        }
        String dockerfile = Files.readString(DEPLOY.resolve("container/Dockerfile"));
        assertThat(dockerfile)
                .containsPattern("(?m)^RUN apt-get update[^\\n]*\\n[^\\n]*apt-get install [^\\n]*\\btini\\b")
                .containsPattern("(?m)^ENTRYPOINT \\[\"/usr/bin/tini\", \"--\", \"java\"")
                .containsPattern("(?m)^USER 10001$");
        String cmd =
                dockerfile.lines().filter(l -> l.startsWith("CMD ")).findFirst().orElseThrow();
        assertThat(cmd).contains("\"--password-file\"", "\"--token-file\"");
        String kubernetes = Files.readString(DEPLOY.resolve("kubernetes/steadfast-worker.yaml"));
        assertThat(kubernetes)
                .contains(
                        "\"--password-file\", \"/run/secrets/steadfast/db-password\"",
                        "\"--token-file\", \"/run/secrets/steadfast/ui-token\"")
                .contains("secretName: steadfast-secrets")
                .doesNotContain("secretRef");
    }
}
