package org.locomov.store;

/**
 * A repository could not answer because the database failed (unreachable, or an error that is not the
 * caller's input). Expected outcomes such as "no such user" or "already exists" are return values, never
 * this exception. The message names what was attempted, not SQL.
 */
public final class StoreQueryException extends RuntimeException {

    public StoreQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
