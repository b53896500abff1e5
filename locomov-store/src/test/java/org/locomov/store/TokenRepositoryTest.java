package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.locomov.store.testing.TestDatabase.count;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.store.TokenRepository.NewToken;
import org.locomov.store.TokenRepository.TokenCheck;
import org.locomov.store.testing.TestDatabase;

class TokenRepositoryTest {

    private Database database;
    private UserRepository users;
    private TokenRepository tokens;

    @BeforeEach
    void open() {
        database = TestDatabase.fresh();
        users = new UserRepository(database.dataSource());
        tokens = new TokenRepository(database.dataSource());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void createdTokenIsValidForItsUserAndStoredOnlyAsItsHash() {
        users.add("ann@example.com", false).orElseThrow();

        NewToken token = tokens.create("ANN@example.com", "laptop").orElseThrow();

        assertThat(token.secret()).startsWith(TokenRepository.SECRET_PREFIX).hasSize(3 + 43);
        assertThat(tokens.check(token.secret())).isInstanceOfSatisfying(TokenCheck.Valid.class,
                valid -> assertThat(valid.owner().email()).isEqualTo("ann@example.com"));
        assertThat(count(database, "SELECT count(*) FROM token WHERE secret_sha256 = sha256(convert_to(?, 'UTF8'))", token.secret()))
                .isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM token WHERE label = 'laptop' AND last_used_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void tokenForAnUnknownEmailIsNotCreated() {
        assertThat(tokens.create("nobody@example.com", null)).isEmpty();
        assertThat(count(database, "SELECT count(*) FROM token")).isZero();
    }

    @Test
    void revokedUnknownAndMalformedSecretsAreRefusedWithTheirReason() {
        long ann = users.add("ann@example.com", false).orElseThrow().id();
        NewToken token = tokens.createFor(ann, null);

        assertThat(tokens.revoke(token.id(), ann)).isTrue();

        assertThat(tokens.check(token.secret())).isEqualTo(new TokenCheck.Refused("revoked token " + token.id()));
        assertThat(tokens.check("lm_" + "A".repeat(43))).isEqualTo(new TokenCheck.Refused("unknown token"));
        assertThat(tokens.check("hunter2")).isEqualTo(new TokenCheck.Refused("malformed token"));
        assertThat(tokens.check("")).isEqualTo(new TokenCheck.Refused("no token"));
    }

    @Test
    void aUserRevokesOnlyTheirOwnTokensAndAnAdminAny() {
        long ann = users.add("ann@example.com", false).orElseThrow().id();
        long ben = users.add("ben@example.com", false).orElseThrow().id();
        NewToken bens = tokens.createFor(ben, null);

        assertThat(tokens.revoke(bens.id(), ann)).isFalse();
        assertThat(tokens.check(bens.secret())).isInstanceOf(TokenCheck.Valid.class);
        assertThat(tokens.revoke(bens.id(), null)).isTrue();
        assertThat(tokens.check(bens.secret())).isInstanceOf(TokenCheck.Refused.class);
        assertThat(tokens.revoke(bens.id() + 1000, null)).isFalse();
    }

    @Test
    void listShowsTokensWithoutSecretsNewestFirst() {
        long ann = users.add("ann@example.com", false).orElseThrow().id();
        NewToken first = tokens.createFor(ann, "one");
        NewToken second = tokens.createFor(ann, "two");

        assertThat(tokens.listOf(ann)).extracting(TokenRepository.TokenInfo::id).containsExactly(second.id(), first.id());
        assertThat(tokens.listOf(ann).toString()).doesNotContain(first.secret()).doesNotContain(second.secret());
    }

    @Test
    void firstAdminIsCreatedOnceEvenByTwoServersStartingTogether() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Optional<NewToken>> start = () -> tokens.createFirstAdmin("admin@localhost", "bootstrap");
            List<Future<Optional<NewToken>>> starts = pool.invokeAll(List.of(start, start));

            long created = 0;
            for (Future<Optional<NewToken>> result : starts) {
                created += result.get().isPresent() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(count(database, "SELECT count(*) FROM sub WHERE admin")).isEqualTo(1);
        assertThat(tokens.createFirstAdmin("admin@localhost", "bootstrap")).isEmpty();
    }

    @Test
    void noFirstAdminWhenAUserExists() {
        users.add("ann@example.com", false);

        assertThat(tokens.createFirstAdmin("admin@localhost", "bootstrap")).isEmpty();
        assertThat(count(database, "SELECT count(*) FROM sub")).isEqualTo(1);
    }

    @Test
    void usersAreUniqueByEmailInAnyCaseAndAddressesAreChecked() {
        assertThat(users.add("Ann@Example.com", true)).isPresent();
        assertThat(users.add("ann@example.com", false)).isEmpty();
        assertThat(users.findByEmail("ANN@EXAMPLE.COM")).hasValueSatisfying(user -> assertThat(user.admin()).isTrue());
        assertThatThrownBy(() -> users.add("not an address", false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(UserRepository.emailProblem("a@b@c")).isPresent();
        assertThat(count(database, "SELECT count(*) FROM sub")).isEqualTo(1);
    }
}
