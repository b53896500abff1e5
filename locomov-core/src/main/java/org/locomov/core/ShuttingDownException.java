package org.locomov.core;

/** The server is stopping and takes no new readings; the device should retry against a running one. */
public final class ShuttingDownException extends IngestException {

    public ShuttingDownException() {
        super("server is shutting down", null);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
