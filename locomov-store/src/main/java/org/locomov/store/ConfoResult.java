package org.locomov.store;

/**
 * What {@link ConfoRepository#apply} did with one confirmation, after commit.
 *
 * @param decision the row of the decision table that applied
 * @param pubId    the device the confirmation is saved against (created by it, for a new hash)
 * @param subId    the registered user with the confirmation's e-mail; nullable when not registered
 */
public record ConfoResult(ConfoDecision decision, long pubId, Long subId) {
}
