package org.locomov.store;

import java.util.Locale;

/**
 * What {@link ConfoRepository#apply} did with one confirmation, after commit.
 *
 * @param decision the row of the decision table that applied
 * @param pubId    the device the confirmation is saved against (created by it, for a new hash)
 * @param subId    the registered user with the confirmation's e-mail; nullable when not registered
 */
public record ConfoResult(ConfoDecision decision, long pubId, Long subId) {

    /**
     * One line for the confo listener's log: for a problem, why and what to do; otherwise the decision,
     * whether the e-mail is registered, the device and the table the confirmation went to.
     */
    public String description() {
        if (decision.isProblem()) {
            return decision.conflictReason() + " (pub " + pubId + "); saved in cconfo, check who owns this device";
        }
        return (subId == null ? "(unregistered) " : "") + decision + " (pub " + pubId + "), saved in "
                + decision.table().name().toLowerCase(Locale.ROOT);
    }
}
