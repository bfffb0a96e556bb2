package dev.steadfast.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.testkit.MariaDbServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it from your application": fresh projects built from its snippets (the BOM import, the
 * dependencies, the classes) against the artifacts as installed, then run against a real MariaDB.
 */
class ConsumerBuildIT {
    static final MariaDbServer SERVER = MariaDbServer.shared();
    static ReadmeSnippets readme;

    @BeforeAll
    static void readReadme() throws IOException {
        readme = ReadmeSnippets.of(ConsumerEnvironment.readme());
    }

    @Test
    void aPlainJavaApplicationBuiltFromTheReadmeRunsAJob() throws Exception {
        String dependencies = readme.block("consumer pom, plain Java");
        assertNamesTheBomAtTheProjectVersion(dependencies);
        String main = readme.block("consumer Main.java, plain Java");
        String pom = """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>plain-consumer</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                %s
                  <build>
                    <pluginManagement>
                      <plugins>
                        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.3</version></plugin>
                        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                      </plugins>
                    </pluginManagement>
                  </build>
                </project>
                """.formatted(dependencies);
        ConsumerProject project =
                ConsumerProject.write(ConsumerEnvironment.workDir().resolve("plain"), pom, main);
        project.maven(
                "package",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                "-Dmdep.outputFile=target/classpath.txt");

        String classpath = project.dir().resolve("target/classes")
                + File.pathSeparator
                + Files.readString(project.dir().resolve("target/classpath.txt"))
                        .strip();
        assertThat(classpath)
                .as("the driver comes from the snippet, the queue from the BOM's version")
                .contains("mariadb-java-client")
                .contains("steadfast-queue-" + ConsumerEnvironment.version() + ".jar")
                .contains("steadfast-jdbc-" + ConsumerEnvironment.version() + ".jar");
        String database = freshDatabase("consumer_plain");
        Path log = project.dir().resolve("run.log");
        Process app = start(
                project.dir(),
                log,
                Map.of("DB_URL", database, "DB_USER", SERVER.user(), "DB_PASSWORD", SERVER.password()),
                java(),
                "-cp",
                classpath,
                ConsumerProject.mainClass(main));
        assertThat(app.waitFor(3, TimeUnit.MINUTES))
                .as("a bound for a hung run:\n%s", ConsumerProject.tail(log))
                .isTrue();
        String output = Files.readString(log);
        assertThat(app.exitValue()).as(output).isZero();
        assertThat(output).contains("Hello, Ada").containsPattern("job \\d+ succeeded");
    }

    @Test
    void aSpringBootApplicationBuiltFromTheReadmeRunsItsHandler() throws Exception {
        String dependencies = readme.block("consumer pom, Spring Boot");
        assertNamesTheBomAtTheProjectVersion(dependencies);
        String application = readme.block("consumer Application.java, Spring Boot");
        String pom = """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>org.springframework.boot</groupId>
                    <artifactId>spring-boot-starter-parent</artifactId>
                    <version>%s</version>
                    <relativePath/>
                  </parent>
                  <groupId>com.example</groupId>
                  <artifactId>spring-consumer</artifactId>
                  <version>1.0</version>
                  <properties>
                    <java.version>17</java.version>
                  </properties>
                %s
                  <build>
                    <finalName>spring-consumer</finalName>
                    <plugins>
                      <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(ConsumerEnvironment.springBootVersion(), dependencies);
        ConsumerProject project =
                ConsumerProject.write(ConsumerEnvironment.workDir().resolve("spring-boot"), pom, application);
        project.maven("package");

        String database = freshDatabase("consumer_spring");
        Path log = project.dir().resolve("run.log");
        Process app = start(
                project.dir(),
                log,
                Map.of(
                        "SPRING_DATASOURCE_URL",
                        database,
                        "SPRING_DATASOURCE_USERNAME",
                        SERVER.user(),
                        "SPRING_DATASOURCE_PASSWORD",
                        SERVER.password(),
                        "SPRING_MAIN_KEEPALIVE",
                        "true"),
                java(),
                "-jar",
                project.dir().resolve("target/spring-consumer.jar").toString());
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("the application exited", () -> !app.isAlive())
                    .until(() -> Files.readString(log).contains("Welcome, ada@example.com"));
            assertThat(
                            SERVER.queryLong(
                                    "SELECT COUNT(*) FROM consumer_spring.sf_job WHERE type = 'welcome' AND state = 'succeeded'"))
                    .as("the job, done by the starter's worker")
                    .isEqualTo(1);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + ConsumerProject.tail(log), e);
        } finally {
            app.destroy(); // SIGTERM: Spring's shutdown stops the worker
            if (!app.waitFor(1, TimeUnit.MINUTES)) {
                app.destroyForcibly();
            }
        }
        assertThat(app.exitValue())
                .as("SIGTERM ends the application cleanly:\n%s", ConsumerProject.tail(log))
                .isZero();
    }

    private static void assertNamesTheBomAtTheProjectVersion(String dependencies) {
        assertThat(dependencies)
                .as("the README's snippet imports the BOM of the version this build makes")
                .contains("<artifactId>steadfast-bom</artifactId>")
                .contains("<version>" + ConsumerEnvironment.version() + "</version>")
                .contains("<scope>import</scope>");
    }

    /** A database of its own on the shared server, so that each application starts from an empty schema. */
    private static String freshDatabase(String name) throws Exception {
        SERVER.execute("DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
        return "jdbc:mariadb://" + SERVER.host() + ":" + SERVER.port() + "/" + name;
    }

    private static Process start(Path dir, Path log, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
