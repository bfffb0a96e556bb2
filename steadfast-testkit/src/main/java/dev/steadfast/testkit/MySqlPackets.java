package dev.steadfast.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the MySQL client/server packet framing: a 3-byte little-endian payload length, a sequence
 * number, then the payload. Only what the fault proxy needs: recognising a {@code COMMIT} query.
 */
final class MySqlPackets {
    static final int HEADER = 4;
    private static final byte COM_QUERY = 0x03;

    private MySqlPackets() {}

    /** Length of the whole packet (header included) starting at offset, or -1 if the header is incomplete. */
    static int packetLength(byte[] buffer, int offset, int available) {
        if (available < HEADER) {
            return -1;
        }
        int payload = (buffer[offset] & 0xFF) | (buffer[offset + 1] & 0xFF) << 8 | (buffer[offset + 2] & 0xFF) << 16;
        return HEADER + payload;
    }

    /** Whether the complete packet at offset is a COM_QUERY whose text is COMMIT (any case, any spacing). */
    static boolean isCommit(byte[] buffer, int offset, int length) {
        int sequence = buffer[offset + 3] & 0xFF;
        int payload = length - HEADER;
        if (sequence != 0 || payload < 2 || payload > 64 || buffer[offset + HEADER] != COM_QUERY) {
            return false;
        }
        String sql = new String(buffer, offset + HEADER + 1, payload - 1, StandardCharsets.US_ASCII);
        return sql.trim().equalsIgnoreCase("commit");
    }

    /** Whether the complete packet at offset is a COM_QUERY whose text contains {@code fragment} (any case). */
    static boolean queryContains(byte[] buffer, int offset, int length, String fragment) {
        int payload = length - HEADER;
        if ((buffer[offset + 3] & 0xFF) != 0 || payload < 1 || buffer[offset + HEADER] != COM_QUERY) {
            return false;
        }
        String sql = new String(buffer, offset + HEADER + 1, payload - 1, StandardCharsets.UTF_8);
        return sql.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT));
    }
}
