package org.locomov.core;

/**
 * Where the confo transport hands a newly provisioned device's confirmation: {@link #confirm} applies
 * the cloud-confirmation decision (DESIGN.md §2) for one {@link ConfoPost} in one transaction and
 * returns after commit.
 *
 * <p>Thread-safe. {@link #confirm} blocks on the database, so transports call it off their event loops.
 */
public interface Confirmations {

    /**
     * Applies {@code post} and returns, after commit, what became of it.
     *
     * @throws StorageUnavailableException when the database fails (nothing of the confirmation is stored)
     */
    Outcome confirm(ConfoPost post);

    /**
     * What a committed confirmation did, for the transport's log line.
     *
     * @param problem     true when an operator should look (the device's creator was tied to an e-mail
     *                    that is no longer registered): the transport logs it as a warning
     * @param description one line saying what was decided and where the confirmation was saved
     */
    record Outcome(boolean problem, String description) {

        public Outcome {
            java.util.Objects.requireNonNull(description, "description");
        }
    }
}
