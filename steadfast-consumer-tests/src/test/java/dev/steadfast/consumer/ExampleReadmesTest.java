package dev.steadfast.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each example says what it shows, how to run it and what to expect, and the README leads to it. */
class ExampleReadmesTest {
    static final Path ROOT = SteadfastBomTest.ROOT;

    @Test
    void everyExampleHasAReadmeTheMainReadmeLinks() throws Exception {
        String main = Files.readString(ROOT.resolve("README.md"));
        String index = Files.readString(ROOT.resolve("examples/README.md"));
        try (var dirs = Files.list(ROOT.resolve("examples"))) {
            for (Path example : dirs.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().matches("src|target"))
                    .toList()) {
                String name = example.getFileName().toString();
                assertThat(example.resolve("README.md"))
                        .as("examples/%s needs a README", name)
                        .isRegularFile();
                assertThat(index).as("examples/README.md lists %s", name).contains("(" + name + "/README.md)");
            }
        }
        assertThat(main).contains("(examples/README.md)", "(examples/spring-boot/README.md)", "(examples/php)");
        assertThat(Files.readString(ROOT.resolve("examples/spring-boot/README.md")))
                .contains("## Run it", "## What to expect", "examples/spring-boot/run");
    }
}
