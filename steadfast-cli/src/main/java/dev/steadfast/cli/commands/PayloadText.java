package dev.steadfast.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.cli.FileProblem;
import dev.steadfast.cli.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code --payload} value: JSON itself, {@code @file}, or {@code @-} for standard input, read no further than one
 * byte past the limit and checked to be JSON, with one line for each mistake.
 */
final class PayloadText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PayloadText() {}

    /** The JSON text the option names. */
    static String read(String option, int maxBytes, InputStream stdin) {
        String json = option.startsWith("@") ? readFrom(option, maxBytes, stdin) : option;
        if ((long) json.length() > maxBytes) { // chars never outnumber UTF-8 bytes: surely too large
            throw tooLarge(json.length(), maxBytes);
        }
        try {
            JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // a limit of the parser itself (a string over its maximum length) has no location
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            throw UserException.usage("--payload is not valid JSON: " + e.getOriginalMessage() + where);
        }
        return json;
    }

    static UserException tooLarge(long bytes, int maxBytes) {
        return UserException.usage("the payload is " + bytes + " bytes, more than --max-payload " + maxBytes
                + " bytes: store large data elsewhere and enqueue a reference to it, or raise --max-payload");
    }

    private static String readFrom(String option, int maxBytes, InputStream stdin) {
        if (option.equals("@-")) {
            try {
                byte[] bytes = stdin.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw UserException.usage(
                            "the payload on standard input is more than --max-payload " + maxBytes
                                    + " bytes: store large data elsewhere and enqueue a reference to it, or raise --max-payload");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw UserException.usage("cannot read the payload from standard input: " + e.getMessage());
            }
        }
        Path file = Path.of(option.substring(1));
        try {
            long size = Files.size(file);
            if (size > maxBytes) { // refused before it is read: a 2 GB file must not take the heap first
                throw tooLarge(size, maxBytes);
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw UserException.usage("cannot read the payload file " + file + ": " + FileProblem.of(e));
        }
    }
}
