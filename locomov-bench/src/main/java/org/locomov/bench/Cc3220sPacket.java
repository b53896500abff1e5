package org.locomov.bench;

import java.nio.charset.StandardCharsets;

/**
 * The bytes a CC3220S meter sends for one reading, laid out exactly as its firmware does (see
 * {@code ../shared/protocol/cc3220s-packet-1.bin}): a cJSON pretty-printed object (tab indent,
 * {@code ":\t"} separators), one NUL, then a few bytes of uninitialised memory that the server must ignore.
 */
public final class Cc3220sPacket {

    /** What the firmware leaves after the NUL in the sample capture. */
    private static final byte[] TRAILING_GARBAGE = {(byte) 0xa5, 0x5a, 0x00, (byte) 0xff};

    private Cc3220sPacket() {
    }

    /**
     * One reading of device {@code deviceId} stamped {@code unixSeconds}, with the sample's measurements.
     * The time is the caller's so that readings land in the current storage partition.
     */
    public static byte[] forDevice(long deviceId, long unixSeconds) {
        String json = "{\n"
                + "\t\"id\":\t" + deviceId + ",\n"
                + "\t\"timestamp\":\t" + unixSeconds + ",\n"
                + "\t\"status\":\ttrue,\n"
                + "\t\"voltage\":\t229.5,\n"
                + "\t\"freq\":\t50.3,\n"
                + "\t\"lat\":\t13.4538,\n"
                + "\t\"lng\":\t77.6283\n"
                + "}";
        byte[] text = json.getBytes(StandardCharsets.US_ASCII);
        byte[] packet = new byte[text.length + 1 + TRAILING_GARBAGE.length];
        System.arraycopy(text, 0, packet, 0, text.length);
        packet[text.length] = 0;
        System.arraycopy(TRAILING_GARBAGE, 0, packet, text.length + 1, TRAILING_GARBAGE.length);
        return packet;
    }
}
