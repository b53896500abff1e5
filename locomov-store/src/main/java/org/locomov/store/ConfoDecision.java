package org.locomov.store;

import java.util.Locale;

/**
 * What a cloud confirmation does, decided from what the database knows about its e-mail and its hash:
 * the table of DESIGN.md §2, one constant per row. Pure: {@link #decide} reads only its arguments, so
 * the table is tested without a database and {@link ConfoRepository} only carries it out.
 *
 * <p>Whatever the outcome, the confirmation is saved: in {@code confo} when it is consistent with what
 * is known, in {@code cconfo} with {@link #conflictReason()} when it is not. A confirmation from an
 * unregistered e-mail also records that e-mail in {@code csub}.
 */
public enum ConfoDecision {

    /** Registered e-mail, the device is already that user's. */
    OWN_DEVICE(Table.CONFO, PubChange.KEEP_CREATOR, null),
    /** Registered e-mail, the device belongs to another user: a conflict, the device is left alone. */
    ANOTHER_USERS_DEVICE(Table.CCONFO, PubChange.NONE, "the device belongs to another user"),
    /** Registered e-mail, the device has no creator: it becomes this user's. */
    CLAIM_UNOWNED_DEVICE(Table.CONFO, PubChange.SET_CREATOR, null),
    /** Registered e-mail, unknown hash: a new device, this user's. */
    CREATE_OWNED_DEVICE(Table.CONFO, PubChange.CREATE_WITH_CREATOR, null),
    /** Unregistered e-mail, the device has no creator: it keeps none (only registered users create). */
    UNOWNED_DEVICE(Table.CONFO, PubChange.KEEP_CREATOR, null),
    /** Unregistered e-mail, the device belongs to a registered user, who stays its creator. */
    REGISTERED_USERS_DEVICE(Table.CONFO, PubChange.KEEP_CREATOR, null),
    /**
     * Unregistered e-mail, yet the device's creator became its creator under this very address (the
     * user has since changed it): a problem, so the creator is cleared and an operator told.
     */
    CREATOR_TIED_TO_UNREGISTERED_EMAIL(Table.CCONFO, PubChange.CLEAR_CREATOR,
            "the device's creator was registered under this e-mail, which is no longer registered; creator cleared"),
    /** Unregistered e-mail, unknown hash: a new device without a creator. */
    CREATE_UNOWNED_DEVICE(Table.CONFO, PubChange.CREATE_WITHOUT_CREATOR, null);

    /** Where the confirmation is saved. */
    public enum Table { CONFO, CCONFO }

    /** What happens to the device's {@code pub} row. */
    public enum PubChange {
        /** Nothing at all: the device is someone else's and this confirmation is not trusted. */
        NONE,
        /** Creator unchanged; name and SSID taken from the confirmation. */
        KEEP_CREATOR,
        /** Creator set to the confirming user; name and SSID taken from the confirmation. */
        SET_CREATOR,
        /** Creator cleared; name and SSID unchanged, since the confirmation is not trusted. */
        CLEAR_CREATOR,
        /** A new {@code pub} with the confirming user as creator. */
        CREATE_WITH_CREATOR,
        /** A new {@code pub} without a creator. */
        CREATE_WITHOUT_CREATOR;

        /** True when the row is created, or updated with the confirmation's name and SSID. */
        public boolean takesNameAndSsid() {
            return this == KEEP_CREATOR || this == SET_CREATOR || creates();
        }

        public boolean creates() {
            return this == CREATE_WITH_CREATOR || this == CREATE_WITHOUT_CREATOR;
        }
    }

    /**
     * The device as the database knows it, found by the confirmation's hash.
     *
     * @param pubId        its id
     * @param creatorId    its creator ({@code pub.creator}); nullable when it has none
     * @param creatorEmail the creator's e-mail when it became the creator ({@code pub.creator_email});
     *                     nullable when it has no creator
     */
    public record KnownDevice(long pubId, Long creatorId, String creatorEmail) {
    }

    private final Table table;
    private final PubChange pubChange;
    private final String conflictReason;

    ConfoDecision(Table table, PubChange pubChange, String conflictReason) {
        this.table = table;
        this.pubChange = pubChange;
        this.conflictReason = conflictReason;
    }

    /**
     * The row of the decision table for one confirmation.
     *
     * @param email  the confirmation's e-mail
     * @param subId  the registered user with that e-mail; null when it is not registered
     * @param device the device with the confirmation's hash; null when the hash is unknown
     */
    public static ConfoDecision decide(String email, Long subId, KnownDevice device) {
        if (subId != null) {
            if (device == null) {
                return CREATE_OWNED_DEVICE;
            }
            if (device.creatorId() == null) {
                return CLAIM_UNOWNED_DEVICE;
            }
            return device.creatorId().equals(subId) ? OWN_DEVICE : ANOTHER_USERS_DEVICE;
        }
        if (device == null) {
            return CREATE_UNOWNED_DEVICE;
        }
        if (device.creatorId() == null) {
            return UNOWNED_DEVICE;
        }
        return tied(device.creatorEmail(), email) ? CREATOR_TIED_TO_UNREGISTERED_EMAIL : REGISTERED_USERS_DEVICE;
    }

    private static boolean tied(String creatorEmail, String email) {
        return creatorEmail != null
                && creatorEmail.strip().toLowerCase(Locale.ROOT).equals(email.strip().toLowerCase(Locale.ROOT));
    }

    public Table table() {
        return table;
    }

    public PubChange pubChange() {
        return pubChange;
    }

    /** Why the confirmation went to {@code cconfo}; null when it went to {@code confo}. */
    public String conflictReason() {
        return conflictReason;
    }

    /** True when an operator should look: the log line for it is a warning. */
    public boolean isProblem() {
        return this == CREATOR_TIED_TO_UNREGISTERED_EMAIL;
    }
}
