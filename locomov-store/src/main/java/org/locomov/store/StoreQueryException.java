package org.locomov.store;

import java.sql.SQLException;

/**
 * A repository could not answer because the database failed (unreachable, or an error that is not the
 * caller's input). Expected outcomes such as "no such user" or "already exists" are return values, never
 * this exception.
 */
public final class StoreQueryException extends StoreException {

    public StoreQueryException(String message, SQLException cause) {
        super(message, cause);
    }
}
