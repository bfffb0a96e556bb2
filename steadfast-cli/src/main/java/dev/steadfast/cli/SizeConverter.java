package dev.steadfast.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads sizes as operators write them: {@code 512KB}, {@code 16MB}, {@code 1GB} (powers of 1024); a bare number is bytes. */
public final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?");

    @Override
    public Integer convert(String value) {
        Matcher m = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a size (examples: 65536, 512KB, 16MB)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long bytes = switch (unit) {
            case "kb", "k" -> amount << 10;
            case "mb", "m" -> amount << 20;
            case "gb", "g" -> amount << 30;
            default -> amount;
        };
        if (bytes > Integer.MAX_VALUE - 1024) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large (at most 2GB)");
        }
        return (int) bytes;
    }
}
