package dev.steadfast.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh application's Maven project, written from a pom skeleton and the README's snippets, built by a nested
 * {@code mvn} against the consumer repository (where invoker:install put the reactor's artifacts). Third-party
 * artifacts and plugins come read-only from the outer build's local repository, used as a file repository, and only
 * what it lacks from Maven Central (a parent pom the outer build never needed: the consumer has none of the
 * outer build's version management); the nested build never writes to the outer build's repository.
 */
final class ConsumerProject {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern CLASS = Pattern.compile("^public\\s+(?:final\\s+)?class\\s+(\\w+)", Pattern.MULTILINE);

    private final Path dir;

    private ConsumerProject(Path dir) {
        this.dir = dir;
    }

    /** A new project in {@code dir} (emptied first) with the given pom and Java sources. */
    static ConsumerProject write(Path dir, String pom, String... sources) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pom.xml"), pom);
        for (String source : sources) {
            Path file = dir.resolve("src/main/java")
                    .resolve(packageOf(source).replace('.', '/'))
                    .resolve(classOf(source) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
        }
        return new ConsumerProject(dir);
    }

    /** The fully qualified name of the public class a source file declares. */
    static String mainClass(String source) {
        return packageOf(source) + "." + classOf(source);
    }

    Path dir() {
        return dir;
    }

    /**
     * Runs {@code mvn -B <goals>} in the project; fails with the build's log when it does not succeed.
     * The log is kept in {@code build.log} beside the project.
     */
    void maven(String... goals) throws IOException, InterruptedException {
        Path settings = writeSettings();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + ConsumerEnvironment.repository()));
        command.addAll(List.of(goals));
        Path log = dir.resolve("build.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_ARGS");
        Process maven = builder.start();
        // a bound for a hung build, not a timing assertion
        if (!maven.waitFor(15, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            throw new AssertionError(
                    "mvn " + String.join(" ", goals) + " in " + dir + " still running after 15 minutes:\n" + tail(log));
        }
        if (maven.exitValue() != 0) {
            throw new AssertionError("mvn " + String.join(" ", goals) + " in " + dir + " failed (exit "
                    + maven.exitValue() + "):\n" + tail(log));
        }
    }

    /** A settings file naming the outer build's local repository as a read-only file repository, releases only. */
    private Path writeSettings() throws IOException {
        String url = ConsumerEnvironment.buildCache().toUri().toString();
        String repository = "<id>steadfast-build-cache</id><url>" + url + "</url>"
                + "<releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>"
                + "<snapshots><enabled>false</enabled></snapshots>"; // Steadfast's snapshots only from the consumer
        // repository
        String settings = """
                <settings>
                  <profiles>
                    <profile>
                      <id>build-cache</id>
                      <repositories><repository>%s</repository></repositories>
                      <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>build-cache</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repository);
        Path file = dir.resolve("settings.xml");
        Files.writeString(file, settings);
        return file;
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static String packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        if (!m.find()) {
            throw new IllegalArgumentException("no package declaration in\n" + source);
        }
        return m.group(1);
    }

    private static String classOf(String source) {
        Matcher m = CLASS.matcher(source);
        if (!m.find()) {
            throw new IllegalArgumentException("no public class in\n" + source);
        }
        return m.group(1);
    }
}
