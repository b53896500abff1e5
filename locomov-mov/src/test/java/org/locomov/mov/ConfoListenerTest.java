package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locomov.mov.ConfoListenerUnderTest.Tables;
import org.locomov.store.Database;
import org.locomov.store.UserRepository;
import org.locomov.store.testing.TestDatabase;

/**
 * The confo listener end to end, one test per branch of the decision of DESIGN.md §2: the byte-exact
 * device post over real TLS to a real PostgreSQL, then the reply bytes and every row of sub, csub, pub,
 * confo and cconfo. The post is from owner@example.org for device "pump-house-2" (hash 7311424511233851041)
 * on "farmnet", timestamp 1558137600.
 */
class ConfoListenerTest {

    private static final long HASH = 7311424511233851041L;
    private static final String THANK_YOU = "Thank you.\n";
    /** The post's row in confo (without pub_id and sub_id) and in cconfo (without pub_id, sub_id and reason). */
    private static final String SAVED = "pump-house-2|farmnet|7311424511233851041|owner@example.org|1558137600";
    private static final String SAVED_CONFLICT = "pump-house-2|farmnet|7311424511233851041|owner@example.org";

    private Database database;
    private ConfoListenerUnderTest listener;
    private UserRepository users;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        users = new UserRepository(database.dataSource());
        listener = new ConfoListenerUnderTest(database);
    }

    @AfterEach
    void stop() {
        listener.close();
        database.close();
    }

    private long user(String email) {
        return users.add(email, false).orElseThrow().id();
    }

    private void device(long pubId, Long creator) {
        TestDatabase.execute(database, "INSERT INTO pub (pub_id, hash, name, ssid, creator) VALUES (?, ?, 'old name', 'oldnet', ?)",
                pubId, HASH, creator);
    }

    private String postSample() {
        return listener.post(Samples.bytes(Samples.CONFO_POST));
    }

    // Registered e-mail.

    @Test
    void registeredEmailConfirmingItsOwnDeviceIsSavedInConfoAndRenamesTheDevice() {
        long owner = user("owner@example.org");
        device(5, owner);

        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(owner + "|owner@example.org"),
                List.of(),
                List.of("5|" + HASH + "|pump-house-2|farmnet|" + owner),
                List.of("5|" + owner + "|" + SAVED),
                List.of()));
    }

    @Test
    void registeredEmailConfirmingAnotherUsersDeviceIsAConflictSavedInCconfoAndChangesNothing() {
        long owner = user("owner@example.org");
        long other = user("other@example.org");
        device(5, other);

        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(owner + "|owner@example.org", other + "|other@example.org"),
                List.of(),
                List.of("5|" + HASH + "|old name|oldnet|" + other),
                List.of(),
                List.of("5|" + owner + "|" + SAVED_CONFLICT + "|the device belongs to another user")));
    }

    @Test
    void registeredEmailConfirmingADeviceWithoutCreatorBecomesItsCreator() {
        long owner = user("owner@example.org");
        device(5, null);

        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(owner + "|owner@example.org"),
                List.of(),
                List.of("5|" + HASH + "|pump-house-2|farmnet|" + owner),
                List.of("5|" + owner + "|" + SAVED),
                List.of()));
    }

    @Test
    void registeredEmailConfirmingAnUnknownHashCreatesTheDeviceWithItAsCreator() {
        long owner = user("owner@example.org");
        TestDatabase.addDevice(database, 9);

        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(owner + "|owner@example.org"),
                List.of(),
                List.of("9|null|null|null|null", "10|" + HASH + "|pump-house-2|farmnet|" + owner),
                List.of("10|" + owner + "|" + SAVED),
                List.of()));
    }

    @Test
    void emailIsMatchedWithoutRegardToCaseAndSavedLowerCased() {
        long owner = user("Owner@Example.org");
        device(5, owner);

        String reply = listener.post("{\"deviceName\":\"pump-house-2\",\"timestamp\":1558137600,\"ssid\":\"farmnet\","
                + "\"hash\":7311424511233851041,\"email\":\"OWNER@example.ORG\"}\n");

        assertThat(reply).isEqualTo(THANK_YOU);
        assertThat(listener.tables().confo()).containsExactly("5|" + owner + "|" + SAVED);
        assertThat(listener.tables().csub()).isEmpty();
    }

    // Unregistered e-mail.

    @Test
    void unregisteredEmailConfirmingADeviceWithoutCreatorIsRecordedAndLeavesItWithout() {
        device(5, null);

        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(),
                List.of("owner@example.org"),
                List.of("5|" + HASH + "|pump-house-2|farmnet|null"),
                List.of("5|null|" + SAVED),
                List.of()));
    }

    @Test
    void unregisteredEmailConfirmingARegisteredUsersDeviceIsSavedInConfoAndKeepsTheCreator() {
        long other = user("other@example.org");
        device(5, other);

        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(other + "|other@example.org"),
                List.of("owner@example.org"),
                List.of("5|" + HASH + "|pump-house-2|farmnet|" + other),
                List.of("5|null|" + SAVED),
                List.of()));
    }

    @Test
    void unregisteredEmailTiedToTheDevicesCreatorClearsTheCreatorAndIsSavedInCconfo() {
        // The creator became the creator as owner@example.org and has since changed address.
        long creator = user("owner@example.org");
        device(5, creator);
        TestDatabase.execute(database, "UPDATE sub SET email = 'moved@example.org' WHERE id = ?", creator);

        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(creator + "|moved@example.org"),
                List.of("owner@example.org"),
                List.of("5|" + HASH + "|old name|oldnet|null"),
                List.of(),
                List.of("5|null|" + SAVED_CONFLICT + "|the device's creator was registered under this e-mail, "
                        + "which is no longer registered; creator cleared")));
    }

    @Test
    void unregisteredEmailConfirmingAnUnknownHashCreatesTheDeviceWithoutCreator() {
        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables()).isEqualTo(new Tables(
                List.of(),
                List.of("owner@example.org"),
                List.of("1|" + HASH + "|pump-house-2|farmnet|null"),
                List.of("1|null|" + SAVED),
                List.of()));
    }

    @Test
    void unregisteredEmailIsRecordedOnceHoweverOftenItConfirms() {
        assertThat(postSample()).isEqualTo(THANK_YOU);
        assertThat(postSample()).isEqualTo(THANK_YOU);

        assertThat(listener.tables().csub()).containsExactly("owner@example.org");
        assertThat(listener.tables().confo()).hasSize(2);
        assertThat(listener.tables().pub()).hasSize(1);
    }

    // Refusals.

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', textBlock = """
            malformed ~ {"deviceName":"pump",,} ~ Error: malformed JSON
            not an object ~ ["deviceName"] ~ Error: malformed JSON: a confirmation must be a JSON object
            missing hash ~ {"deviceName":"pump","ssid":"farmnet","email":"owner@example.org"} ~ Error: field 'hash' is required
            missing email ~ {"deviceName":"pump","ssid":"farmnet","hash":1} ~ Error: field 'email' is required
            hash as text ~ {"deviceName":"pump","ssid":"farmnet","hash":"7311424511233851041","email":"owner@example.org"} ~ Error: field 'hash' must be a 64-bit integer
            hash beyond 64 bits ~ {"deviceName":"pump","ssid":"farmnet","hash":18446744073709551616,"email":"owner@example.org"} ~ Error: field 'hash' must be a 64-bit integer
            name as number ~ {"deviceName":7,"ssid":"farmnet","hash":1,"email":"owner@example.org"} ~ Error: field 'deviceName' must be a string
            timestamp as text ~ {"deviceName":"pump","ssid":"farmnet","hash":1,"email":"owner@example.org","timestamp":"now"} ~ Error: field 'timestamp' must be a 64-bit integer
            not an e-mail ~ {"deviceName":"pump","ssid":"farmnet","hash":1,"email":"owner.example.org"} ~ Error: field 'email': 'owner.example.org' is not an e-mail address
            ssid over 32 bytes ~ {"deviceName":"pump","ssid":"a-network-name-of-thirty-three-by","hash":1,"email":"owner@example.org"} ~ Error: field 'ssid' must be 1 to 32 bytes
            empty name ~ {"deviceName":" ","ssid":"farmnet","hash":1,"email":"owner@example.org"} ~ Error: field 'deviceName' must be 1 to 200 characters
            """)
    void refusedConfirmationIsAnsweredWithItsReasonAndChangesNoTable(String what, String post, String expectedReply) {
        long owner = user("owner@example.org");
        device(5, null);
        Tables before = listener.tables();

        String reply = listener.post(post + "\n");

        assertThat(reply).startsWith(expectedReply).endsWith("\n");
        assertThat(listener.tables()).isEqualTo(before);
        assertThat(before.sub()).containsExactly(owner + "|owner@example.org");
    }

    @Test
    void ssidOfExactly32BytesAndAnUnknownFieldAreAccepted() {
        String reply = listener.post("{\"deviceName\":\"pump\",\"ssid\":\"a-network-name-of-thirty-two-byt\","
                + "\"hash\":1,\"email\":\"owner@example.org\",\"rssi\":-61}\n");

        assertThat(reply).isEqualTo(THANK_YOU);
        assertThat(listener.tables().confo()).containsExactly("1|null|pump|a-network-name-of-thirty-two-byt|1|owner@example.org|null");
    }
}
