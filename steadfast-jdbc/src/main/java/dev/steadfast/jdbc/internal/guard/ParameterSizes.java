package dev.steadfast.jdbc.internal.guard;

import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.util.Arrays;

/** The wire size of each parameter set on a prepared statement, as far as it can be known up front. */
final class ParameterSizes {
    private long[] sizes = new long[8];

    /** A parameter whose wire size follows from its value. */
    void record(int index, Object value) throws SQLException {
        put(index, sizeOf(value));
    }

    /** A number, date or null: small, its exact size does not matter here. */
    void recordSmall(int index) {
        put(index, 8);
    }

    /** A stream of the declared length (negative when none was declared: unknown until sent). */
    void recordStream(int index, long length) {
        put(index, Math.max(0, length));
    }

    private void put(int index, long size) {
        if (index < 1) {
            return;
        }
        if (index > sizes.length) {
            sizes = Arrays.copyOf(sizes, Math.max(index, sizes.length * 2));
        }
        sizes[index - 1] = size;
    }

    void clear() {
        Arrays.fill(sizes, 0);
    }

    long total() {
        long sum = 0;
        for (long size : sizes) {
            sum += size;
        }
        return sum;
    }

    private static long sizeOf(Object value) throws SQLException {
        if (value instanceof byte[] bytes) {
            return binarySize(bytes);
        }
        if (value instanceof String s) {
            return textSize(s);
        }
        if (value instanceof Blob blob) {
            return blob.length();
        }
        if (value instanceof Clob clob) {
            return clob.length();
        }
        return 8;
    }

    /**
     * Size of binary data as the drivers' text protocol sends it: each byte that needs a backslash
     * escape takes two. (Server-side prepared statements send less; erring high only matters at the limit.)
     */
    static long binarySize(byte[] bytes) {
        long size = bytes.length;
        for (byte b : bytes) {
            if (needsEscape(b)) {
                size++;
            }
        }
        return size;
    }

    private static boolean needsEscape(int c) {
        return c == 0 || c == '\n' || c == '\r' || c == 0x1A || c == '"' || c == '\'' || c == '\\';
    }

    /** UTF-8 length of a string as sent in the text protocol (escapes included), without encoding it. */
    static long textSize(String s) {
        if (s == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += needsEscape(c) ? 2 : 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
