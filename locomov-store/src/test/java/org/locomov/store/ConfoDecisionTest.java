package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locomov.store.ConfoDecision.KnownDevice;
import org.locomov.store.ConfoDecision.PubChange;
import org.locomov.store.ConfoDecision.Table;

/** The decision table of DESIGN.md §2, row by row. The confo's e-mail is always owner@example.org. */
class ConfoDecisionTest {

    private static final String EMAIL = "owner@example.org";

    @ParameterizedTest(name = "sub {0}, hash known {1}, creator {2} ({3}) -> {4}")
    @CsvSource(nullValues = "-", textBlock = """
            # sub   hash known  creator  creator e-mail       decision                            table   pub change
              7,    false,      -,       -,                   CREATE_OWNED_DEVICE,                CONFO,  CREATE_WITH_CREATOR
              7,    true,       7,       owner@example.org,   OWN_DEVICE,                         CONFO,  KEEP_CREATOR
              7,    true,       8,       other@example.org,   ANOTHER_USERS_DEVICE,               CCONFO, NONE
              7,    true,       -,       -,                   CLAIM_UNOWNED_DEVICE,               CONFO,  SET_CREATOR
              -,    false,      -,       -,                   CREATE_UNOWNED_DEVICE,              CONFO,  CREATE_WITHOUT_CREATOR
              -,    true,       -,       -,                   UNOWNED_DEVICE,                     CONFO,  KEEP_CREATOR
              -,    true,       8,       other@example.org,   REGISTERED_USERS_DEVICE,            CONFO,  KEEP_CREATOR
              -,    true,       8,       -,                   REGISTERED_USERS_DEVICE,            CONFO,  KEEP_CREATOR
              -,    true,       8,       owner@example.org,   CREATOR_TIED_TO_UNREGISTERED_EMAIL, CCONFO, CLEAR_CREATOR
              -,    true,       8,       Owner@Example.ORG,   CREATOR_TIED_TO_UNREGISTERED_EMAIL, CCONFO, CLEAR_CREATOR
            """)
    void eachRowOfTheTableHasItsOutcome(Long subId, boolean hashKnown, Long creatorId, String creatorEmail,
            ConfoDecision expected, Table table, PubChange pubChange) {
        KnownDevice device = hashKnown ? new KnownDevice(42, creatorId, creatorEmail) : null;

        ConfoDecision decision = ConfoDecision.decide(EMAIL, subId, device);

        assertThat(decision).isEqualTo(expected);
        assertThat(decision.table()).isEqualTo(table);
        assertThat(decision.pubChange()).isEqualTo(pubChange);
        assertThat(decision.conflictReason() != null).isEqualTo(table == Table.CCONFO);
    }

    @ParameterizedTest
    @CsvSource({"OWN_DEVICE, false", "ANOTHER_USERS_DEVICE, false", "CREATOR_TIED_TO_UNREGISTERED_EMAIL, true",
            "CREATE_UNOWNED_DEVICE, false"})
    void onlyACreatorTiedToAnUnregisteredEmailIsAProblemForTheOperator(ConfoDecision decision, boolean problem) {
        assertThat(decision.isProblem()).isEqualTo(problem);
    }

    @ParameterizedTest
    @CsvSource({"NONE, false", "KEEP_CREATOR, true", "SET_CREATOR, true", "CLEAR_CREATOR, false",
            "CREATE_WITH_CREATOR, true", "CREATE_WITHOUT_CREATOR, true"})
    void onlyTrustedConfirmationsRenameTheDevice(PubChange change, boolean takesNameAndSsid) {
        assertThat(change.takesNameAndSsid()).isEqualTo(takesNameAndSsid);
    }
}
