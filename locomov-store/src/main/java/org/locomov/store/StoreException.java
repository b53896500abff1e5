package org.locomov.store;

import java.sql.SQLException;

/** A store operation failed in the database; the message says which operation and why. */
public class StoreException extends RuntimeException {

    public StoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    protected StoreException(String message) {
        super(message);
    }
}
