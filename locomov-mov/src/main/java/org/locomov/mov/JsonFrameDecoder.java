package org.locomov.mov;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;

/**
 * Cuts a connection's byte stream into JSON values: emits a {@link JsonFrame} for each complete
 * object or array, or a {@link Refusal} when the stream cannot be framed (then discards everything
 * that follows, since the listener closes the connection).
 *
 * <p>The mov protocol has no framing of its own: the CC3220S sends one pretty-printed object, a NUL
 * and some bytes of uninitialised memory; the Go client sends compact JSON and a newline. So a value
 * ends where its outermost brace or bracket closes (braces inside strings, and escaped quotes, do not
 * count), whitespace between values is skipped, and a NUL where the next value would start marks what
 * follows as device garbage: it is dropped up to the next packet start, a {@code '{'} or {@code '['}
 * followed by whitespace, a quote or another bracket (as every packet begins; a lone brace in random
 * memory rarely is), in the same read or a later one, so packets a client sends without waiting
 * (decision 1500) are all framed. The value's syntax is checked by the packet decoder, not here.
 *
 * <p>Limits: a value that has not closed within {@code maxPacketBytes} is refused as oversize, so
 * one connection buffers at most that much.
 *
 * <p>Per connection, not sharable: it keeps the scan position of a value split across reads. Runs
 * on the channel's event loop only.
 */
public final class JsonFrameDecoder extends ByteToMessageDecoder {

    private enum State { BETWEEN_VALUES, DEVICE_GARBAGE, IN_VALUE, DISCARDING }

    private final int maxPacketBytes;

    private State state = State.BETWEEN_VALUES;
    /** Bytes of the current value already scanned, counted from the reader index. */
    private int scanned;
    private int depth;
    private boolean inString;
    private boolean escaped;

    public JsonFrameDecoder(int maxPacketBytes) {
        if (maxPacketBytes < 2) {
            throw new IllegalArgumentException("maxPacketBytes must be at least 2, was " + maxPacketBytes);
        }
        this.maxPacketBytes = maxPacketBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case DISCARDING -> in.skipBytes(in.readableBytes());
            case BETWEEN_VALUES -> startValue(in, out);
            case DEVICE_GARBAGE -> skipGarbage(in, out);
            case IN_VALUE -> scanValue(in, out);
        }
    }

    private void startValue(ByteBuf in, List<Object> out) {
        while (in.isReadable() && isWhitespace(in.getByte(in.readerIndex()))) {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if (first == 0) {
            // The CC3220S sends its packet buffer whole: a NUL, then uninitialised memory.
            state = State.DEVICE_GARBAGE;
            skipGarbage(in, out);
            return;
        }
        if (first != '{' && first != '[') {
            refuse(in, out, Refusal.of(RefusalKind.MALFORMED,
                    "malformed JSON: a packet must start with '{', not " + describe(first)));
            return;
        }
        state = State.IN_VALUE;
        scanned = 0;
        depth = 0;
        inString = false;
        escaped = false;
        scanValue(in, out);
    }

    /**
     * Skips device garbage up to the next packet start, in this read or (TLS may split the device's one send, and
     * a pipelining device's next packet may come later) a later one.
     */
    private void skipGarbage(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int at = in.readerIndex();
            byte b = in.getByte(at);
            if ((b == '{' || b == '[') && (in.readableBytes() == 1 || opensPacket(in.getByte(at + 1)))) {
                state = State.BETWEEN_VALUES;
                startValue(in, out);
                return;
            }
            in.skipBytes(1);
        }
    }

    /** What follows the first brace or bracket of a packet, pretty-printed or compact. */
    private static boolean opensPacket(byte next) {
        return isWhitespace(next) || next == '"' || next == '{' || next == '[' || next == '}' || next == ']';
    }

    private void scanValue(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int available = Math.min(in.readableBytes(), maxPacketBytes);
        while (scanned < available) {
            byte b = in.getByte(start + scanned);
            scanned++;
            if (b == 0) {
                refuse(in, out, Refusal.of(RefusalKind.MALFORMED, "malformed JSON: NUL byte inside a packet"));
                return;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                byte[] json = new byte[scanned];
                in.readBytes(json);
                state = State.BETWEEN_VALUES;
                out.add(new JsonFrame(json));
                return;
            }
        }
        if (scanned >= maxPacketBytes) {
            refuse(in, out, Refusal.of(RefusalKind.OVERSIZE, "packet larger than " + maxPacketBytes + " bytes"));
        }
    }

    private void refuse(ByteBuf in, List<Object> out, Refusal refusal) {
        state = State.DISCARDING;
        in.skipBytes(in.readableBytes());
        out.add(refusal);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static String describe(byte b) {
        return b >= 0x21 && b <= 0x7e ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }
}
