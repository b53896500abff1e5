package org.locomov.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.locomov.store.Database;
import org.locomov.store.UserPasswords;
import org.locomov.store.UserPasswords.SetResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov user passwd --email E}: sets a user's password (what the Particle API's login takes), read
 * from standard input (its first line), never from the command line where other users of the machine could
 * see it. Stored as a PBKDF2 hash only (decision 1020).
 */
@Command(name = "passwd", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Set a user's password (for 'particle login' and other Particle API clients), read from standard input.")
final class UserPasswordCommand implements Callable<Integer> {

    /** More than any password accepted; reading stops there. */
    private static final int MAX_READ_CHARS = 4_096;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--email", paramLabel = "EMAIL", required = true, description = "The user's e-mail address.")
    String email;

    /** Where the password is read from; standard input unless a test sets another. */
    InputStream input = System.in;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        char[] password;
        try {
            password = firstLine(new InputStreamReader(input, StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("user passwd: could not read the password from standard input: " + e.getMessage());
            return DatabaseJob.FAILED;
        }
        if (password.length == 0) {
            err.println("user passwd: give the password on standard input, e.g. read -s P && echo \"$P\" | locomov user passwd --email "
                    + email);
            return DatabaseJob.FAILED;
        }
        return DatabaseJob.run(spec, database, "user passwd", (db, out, errors) -> set(db, out, errors, password));
    }

    private int set(Database db, PrintWriter out, PrintWriter err, char[] password) {
        SetResult result = new UserPasswords(db.dataSource()).set(email, password);
        return switch (result) {
            case SetResult.Set set -> {
                out.println("password set for " + set.user().email());
                yield 0;
            }
            case SetResult.UnknownUser unknown -> {
                err.println("user passwd: no user " + email + "; add one with 'locomov user add --email " + email + "'");
                yield DatabaseJob.FAILED;
            }
            case SetResult.Refused refused -> {
                err.println("user passwd: " + refused.reason());
                yield DatabaseJob.FAILED;
            }
        };
    }

    /** The first line of {@code reader} without its line end (a trailing CR too), at most {@value #MAX_READ_CHARS} chars. */
    static char[] firstLine(Reader reader) throws IOException {
        char[] buffer = new char[MAX_READ_CHARS];
        int length = 0;
        int c;
        while (length < buffer.length && (c = reader.read()) != -1 && c != '\n') {
            buffer[length++] = (char) c;
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] line = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return line;
    }
}
