package org.locomov.particle.protocol;

/** The protocol's framing after the handshake: a 2-byte big-endian length, then that many bytes of ciphertext. */
public final class SparkFraming {

    public static final int LENGTH_BYTES = 2;
    /** The largest frame the length prefix can announce. */
    public static final int MAX_FRAME_BYTES = 0xFFFF;

    private SparkFraming() {
    }

    /** {@code ciphertext} behind its length prefix. */
    public static byte[] wrap(byte[] ciphertext) {
        if (ciphertext.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("a frame holds at most " + MAX_FRAME_BYTES + " bytes");
        }
        byte[] frame = new byte[LENGTH_BYTES + ciphertext.length];
        frame[0] = (byte) (ciphertext.length >> 8);
        frame[1] = (byte) ciphertext.length;
        System.arraycopy(ciphertext, 0, frame, LENGTH_BYTES, ciphertext.length);
        return frame;
    }
}
