package org.locomov.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * A value made when it is first asked for, then kept: for what costs a file or a key to make and may never
 * be needed (the master key, needed only when a device presents a PSK). A failure is not kept: the next
 * call tries again. Thread-safe.
 */
final class OnFirstUse<T> implements Supplier<T> {

    /** Makes the value; may fail with an {@link IOException}. */
    @FunctionalInterface
    interface Maker<T> {
        T make() throws IOException;
    }

    private final Maker<T> maker;
    private T value; // guarded by this

    OnFirstUse(Maker<T> maker) {
        this.maker = maker;
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            try {
                value = maker.make();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return value;
    }
}
