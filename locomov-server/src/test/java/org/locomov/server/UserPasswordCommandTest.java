package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.store.Database;
import org.locomov.store.UserPasswords;
import org.locomov.store.UserRepository;
import org.locomov.store.testing.TestDatabase;

/** {@code locomov user passwd}: the password comes from standard input and only its hash is stored. */
class UserPasswordCommandTest {

    private Database database;
    private final InputStream stdin = System.in;

    @BeforeEach
    void open() {
        database = TestDatabase.fresh();
        new UserRepository(database.dataSource()).add("ann@example.com", false).orElseThrow();
    }

    @AfterEach
    void close() {
        System.setIn(stdin);
        database.close();
    }

    private CommandLines.Outcome passwd(Path dataDir, String email, String input) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return CommandLines.execute(Map.of(), "user", "passwd", "--email", email, "--data-dir", dataDir.toString(),
                "--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password());
    }

    @Test
    void thePasswordOnStandardInputLetsTheUserLogIn(@TempDir Path dataDir) {
        CommandLines.Outcome outcome = passwd(dataDir, "ann@example.com", "correct horse battery\n");

        assertThat(outcome.status()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("password set for ann@example.com");
        assertThat(new UserPasswords(database.dataSource()).check("ann@example.com", "correct horse battery".toCharArray()))
                .isPresent();
    }

    @Test
    void anUnknownUserOrAShortPasswordIsRefusedAndNothingIsStored(@TempDir Path dataDir) {
        CommandLines.Outcome unknown = passwd(dataDir, "nobody@example.com", "correct horse battery\n");
        CommandLines.Outcome tooShort = passwd(dataDir, "ann@example.com", "short\n");
        CommandLines.Outcome empty = passwd(dataDir, "ann@example.com", "");

        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no user nobody@example.com");
        assertThat(tooShort.status()).isEqualTo(1);
        assertThat(tooShort.err()).contains("at least 8 characters");
        assertThat(empty.status()).isEqualTo(1);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM sub WHERE password_hash IS NOT NULL")).isZero();
    }

    @Test
    void onlyTheFirstLineWithoutItsLineEndIsThePassword() throws Exception {
        assertThat(UserPasswordCommand.firstLine(new StringReader("pass word\r\nsecond line"))).containsExactly("pass word".toCharArray());
    }
}
