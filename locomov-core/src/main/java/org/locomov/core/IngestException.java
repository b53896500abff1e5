package org.locomov.core;

/**
 * Why a reading was not stored. Each subclass maps to one protocol reply in each transport, in one
 * place per transport. The message is safe to send to the device: it names a reason, not internals.
 */
public abstract sealed class IngestException extends RuntimeException
        permits StorageUnavailableException, ReadingRefusedException, ShuttingDownException {

    protected IngestException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same reading may succeed if the device sends it again later. */
    public abstract boolean retryable();
}
