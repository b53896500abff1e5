package org.locomov.particle;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A variable's value as JSON text, from its Describe type and the bytes the device sent: 1 boolean (1 byte),
 * 2 int32 (big-endian), 4 string, 9 double (little-endian, as the Core's memory holds it).
 */
final class VariableValues {

    static final int BOOLEAN = 1;
    static final int INT = 2;
    static final int STRING = 4;
    static final int DOUBLE = 9;

    private VariableValues() {
    }

    static String toJson(int type, byte[] value) {
        return switch (type) {
            case BOOLEAN -> value.length >= 1 && value[0] != 0 ? "true" : "false";
            case INT -> value.length >= 4 ? Integer.toString(ByteBuffer.wrap(value).getInt()) : string(value);
            case DOUBLE -> value.length >= 8
                    ? number(ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getDouble()) : string(value);
            default -> string(value);
        };
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }

    private static String string(byte[] value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(new String(value, StandardCharsets.UTF_8)))
                + "\"";
    }
}
