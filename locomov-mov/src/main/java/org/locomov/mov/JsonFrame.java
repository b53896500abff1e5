package org.locomov.mov;

import java.nio.charset.StandardCharsets;

/**
 * One complete JSON value cut from a connection's byte stream by {@link JsonFrameDecoder}, without
 * the whitespace and device garbage around it.
 *
 * <p>The frame owns its array and hands it out without copying: a frame passes from one handler to
 * the next on one event loop and is never shared, so copying would only cost.
 */
public final class JsonFrame {

    private final byte[] json;

    public JsonFrame(byte[] json) {
        this.json = json;
    }

    /** The JSON text as UTF-8 bytes; not a copy, do not modify. */
    public byte[] bytes() {
        return json;
    }

    public int length() {
        return json.length;
    }

    /** The JSON text, for logs and tests. */
    public String text() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "JsonFrame[" + json.length + " bytes]";
    }
}
