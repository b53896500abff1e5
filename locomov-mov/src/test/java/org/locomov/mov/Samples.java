package org.locomov.mov;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** The byte-exact device samples under {@code src/test/resources/protocol/}. */
final class Samples {

    static final String CC3220S_1 = "cc3220s-packet-1.bin";
    static final String CC3220S_2 = "cc3220s-packet-2.bin";
    static final String GO_CLIENT = "go-client-packet.txt";
    static final String CONFO_POST = "confo-device-post.json";

    private Samples() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/protocol/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource protocol/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample up to and including its closing brace: what the frame decoder should cut out. */
    static byte[] json(String name) {
        byte[] all = bytes(name);
        int end = all.length - 1;
        while (all[end] != '}') {
            end--;
        }
        return Arrays.copyOf(all, end + 1);
    }
}
