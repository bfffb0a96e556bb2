package dev.steadfast.cli.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a job's command writes its result: an empty file of its own per attempt (owner-only, handed to
 * {@code --exec-user}'s user when there is one), named by {@value #VARIABLE} in its environment. Read after the command
 * exits 0: nothing written is no result; JSON is the job's result; anything else fails the attempt. Deleted after.
 */
final class ResultFile implements AutoCloseable {
    /** The environment variable that names the file. */
    static final String VARIABLE = "STEADFAST_RESULT_FILE";

    /** More than the largest result a worker can accept: a larger file is not read into memory. */
    private static final long READ_AT_MOST = 16L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;

    private ResultFile(Path path) {
        this.path = path;
    }

    /** A new empty file that the command (as its user) may write. */
    static ResultFile create(CommandLauncher launcher) throws IOException {
        ResultFile file = new ResultFile(Files.createTempFile("steadfast-result-", ".json"));
        try {
            launcher.handOver(file.path);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        return file;
    }

    Path path() {
        return path;
    }

    /**
     * What the command wrote, as JSON; empty when it wrote nothing.
     *
     * @throws CommandFailedException when the file holds no JSON value, or more than 16 MB
     */
    Optional<JsonNode> read() throws IOException, CommandFailedException {
        long size = Files.size(path);
        if (size == 0) {
            return Optional.empty();
        }
        if (size > READ_AT_MOST) {
            throw new CommandFailedException("the command's result (" + VARIABLE + ") is " + size
                    + " bytes, more than any worker accepts (16 MB)");
        }
        String text = Files.readString(path);
        try {
            JsonNode value = JSON.readTree(text);
            if (value == null || value.isMissingNode()) {
                return Optional.empty(); // only white space
            }
            return Optional.of(value);
        } catch (JsonProcessingException e) {
            throw new CommandFailedException("the command's result file (" + VARIABLE + ") holds no valid JSON: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + path, e);
        }
    }
}
