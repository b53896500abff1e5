package org.locomov.core;

/** The database did not commit the reading within the ingest timeout; the device should retry. */
public final class StorageUnavailableException extends IngestException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
