package org.locomov.core;

/**
 * The database refused this one reading (a constraint, or a value PostgreSQL cannot hold). Other
 * readings of the same batch are not affected. Retrying the same reading will not help.
 */
public final class ReadingRefusedException extends IngestException {

    public ReadingRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
