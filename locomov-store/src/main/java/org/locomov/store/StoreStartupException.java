package org.locomov.store;

/**
 * The store could not be opened. The message is complete and meant to be shown to the operator as
 * it is (it names the URL or directory and the reason), so no cause is attached and no stack trace
 * needs printing.
 */
public final class StoreStartupException extends RuntimeException {

    public StoreStartupException(String message) {
        super(message, null, false, false);
    }
}
