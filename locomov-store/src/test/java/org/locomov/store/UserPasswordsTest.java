package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.store.UserPasswords.SetResult;
import org.locomov.store.testing.TestDatabase;

class UserPasswordsTest {

    private Database database;
    private UserPasswords passwords;

    @BeforeEach
    void open() {
        database = TestDatabase.fresh();
        new UserRepository(database.dataSource()).add("ann@example.com", false).orElseThrow();
        passwords = new UserPasswords(database.dataSource());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aSetPasswordLetsItsUserInAndIsStoredOnlyAsAPbkdf2Hash() {
        assertThat(passwords.set("ANN@example.com", "correct horse".toCharArray())).isInstanceOf(SetResult.Set.class);

        assertThat(passwords.check("ann@example.com", "correct horse".toCharArray()))
                .hasValueSatisfying(user -> assertThat(user.email()).isEqualTo("ann@example.com"));
        assertThat(TestDatabase.count(database,
                "SELECT count(*) FROM sub WHERE password_hash LIKE 'pbkdf2-sha512$210000$%' AND password_hash NOT LIKE '%correct horse%'"))
                .isEqualTo(1);
    }

    @Test
    void aWrongPasswordAnUnknownUserAndAUserWithoutPasswordAreRefused() {
        passwords.set("ann@example.com", "correct horse".toCharArray());
        new UserRepository(database.dataSource()).add("bob@example.com", false).orElseThrow();

        assertThat(passwords.check("ann@example.com", "wrong horse".toCharArray())).isEmpty();
        assertThat(passwords.check("nobody@example.com", "correct horse".toCharArray())).isEmpty();
        assertThat(passwords.check("bob@example.com", "correct horse".toCharArray())).isEmpty();
    }

    @Test
    void aShortPasswordOrAnUnknownUserIsNotSetAndChangesNothing() {
        assertThat(passwords.set("ann@example.com", "short".toCharArray())).isInstanceOf(SetResult.Refused.class);
        assertThat(passwords.set("nobody@example.com", "long enough".toCharArray())).isInstanceOf(SetResult.UnknownUser.class);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM sub WHERE password_hash IS NOT NULL")).isZero();
    }

    @Test
    void settingAgainReplacesTheOldPassword() {
        passwords.set("ann@example.com", "first password".toCharArray());
        passwords.set("ann@example.com", "second password".toCharArray());

        assertThat(passwords.check("ann@example.com", "first password".toCharArray())).isEmpty();
        assertThat(passwords.check("ann@example.com", "second password".toCharArray())).isPresent();
    }
}
