package org.locomov.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The embedded PostgreSQL's one login: role {@value #ROLE} and a random password, kept in the data
 * directory as {@value #FILE_NAME}, readable by its owner only. The file is in libpq's password-file
 * format, so an operator reaches the data with {@code PGPASSFILE=<it> psql -h 127.0.0.1 -p PORT -U locomov locomov}.
 *
 * @param role     the role locomov logs in as
 * @param password the role's password (SCRAM-hashed by the server); never logged
 */
public record EmbeddedCredentials(String role, String password) {

    public static final String ROLE = "locomov";
    public static final String FILE_NAME = "locomov.pgpass";
    private static final int PASSWORD_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** New credentials with a fresh random password (43 characters of Base64url, nothing to escape). */
    static EmbeddedCredentials generate() {
        byte[] secret = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(secret);
        return new EmbeddedCredentials(ROLE, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    static Path file(Path pgData) {
        return pgData.resolve(FILE_NAME);
    }

    /**
     * The credentials kept in {@code pgData}, or empty when there are none yet (a new directory, or one an
     * older locomov made, with no password at all).
     *
     * @throws StoreStartupException when the file exists but cannot be read, most often because this
     *         process runs as another user than the one who owns the data directory
     */
    static Optional<EmbeddedCredentials> read(Path pgData) {
        Path file = file(pgData);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            // hostname:port:database:username:password
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).strip().split(":", 5);
            if (fields.length != 5 || fields[3].isEmpty() || fields[4].isEmpty()) {
                throw new StoreStartupException(file + " is not a password file locomov wrote; remove it and "
                        + "start locomov again to set a new password");
            }
            return Optional.of(new EmbeddedCredentials(fields[3], fields[4]));
        } catch (AccessDeniedException e) {
            throw new StoreStartupException("cannot read the embedded PostgreSQL's password in " + file
                    + ": run locomov as the user who owns " + pgData.getParent());
        } catch (IOException e) {
            throw new StoreStartupException("cannot read the embedded PostgreSQL's password in " + file + ": " + e);
        }
    }

    /** Writes these credentials into {@code pgData}, owner-only from the first byte. */
    void write(Path pgData) throws IOException {
        OwnerOnlyFiles.write(file(pgData), "127.0.0.1:*:*:" + role + ":" + password + "\n");
    }

    @Override
    public String toString() {
        return "EmbeddedCredentials[role=" + role + ", password=***]";
    }
}
