package dev.steadfast.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The code blocks of README.md marked for the tests: a line {@code <!-- ci: NAME ...} followed by a fenced block.
 * The tests read the README itself, so what a user copies is what was built.
 */
final class ReadmeSnippets {
    private final Path readme;
    private final List<String> lines;

    private ReadmeSnippets(Path readme, List<String> lines) {
        this.readme = readme;
        this.lines = lines;
    }

    static ReadmeSnippets of(Path readme) throws IOException {
        return new ReadmeSnippets(readme, Files.readAllLines(readme));
    }

    /** The body of the fenced block after the marker {@code <!-- ci: name}, without its fences. */
    String block(String name) {
        String marker = "<!-- ci: " + name;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(marker)) {
                continue;
            }
            if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
                throw new IllegalStateException(readme + ": the marker '" + marker + "' at line " + (i + 1)
                        + " must be followed by a fenced code block");
            }
            StringBuilder body = new StringBuilder();
            for (int j = i + 2; j < lines.size(); j++) {
                if (lines.get(j).startsWith("```")) {
                    return body.toString();
                }
                body.append(lines.get(j)).append('\n');
            }
            throw new IllegalStateException(readme + ": the block after '" + marker + "' is not closed");
        }
        throw new IllegalStateException(readme + " has no block marked '" + marker + "'");
    }
}
