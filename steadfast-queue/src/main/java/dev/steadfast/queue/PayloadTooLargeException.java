package dev.steadfast.queue;

/** A job's payload is larger than the queue accepts ({@link JobQueue#withMaxPayloadBytes(int)}). */
public final class PayloadTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long bytes;
    private final int maxBytes;

    public PayloadTooLargeException(String type, long bytes, int maxBytes) {
        super("the payload of a '" + type + "' job is " + bytes + " bytes, more than the maximum of " + maxBytes
                + " bytes: store large data elsewhere and pass a reference, or raise the limit");
        this.bytes = bytes;
        this.maxBytes = maxBytes;
    }

    /** The payload's size as UTF-8 JSON. */
    public long bytes() {
        return bytes;
    }

    public int maxBytes() {
        return maxBytes;
    }
}
