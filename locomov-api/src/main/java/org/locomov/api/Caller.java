package org.locomov.api;

import org.locomov.store.DeviceAdmin;
import org.locomov.store.TokenRepository.TokenOwner;

/**
 * The user behind an authenticated request.
 *
 * @param tokenId the token the request carried
 */
record Caller(long subId, String email, boolean admin, long tokenId) {

    static Caller of(TokenOwner owner) {
        return new Caller(owner.subId(), owner.email(), owner.admin(), owner.tokenId());
    }

    /** The devices this caller may see and manage: all for an admin, their own otherwise. */
    DeviceAdmin.Scope deviceScope() {
        return admin ? DeviceAdmin.Scope.all() : DeviceAdmin.Scope.ownedBy(subId);
    }

    /** Whether this caller may see what concerns a device of {@code owner} (null: a device without one). */
    boolean maySee(Long owner) {
        return admin || (owner != null && owner == subId);
    }

    /** Null for an admin (any owner), the caller's id otherwise: the owner filter of token operations. */
    Long ownerFilter() {
        return admin ? null : subId;
    }
}
