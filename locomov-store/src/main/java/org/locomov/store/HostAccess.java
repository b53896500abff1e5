package org.locomov.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Who the embedded PostgreSQL lets in: written over {@code pg_hba.conf} before every start, so that a
 * data directory from an older locomov (which trusted everyone on 127.0.0.1 as superuser) is closed too.
 * One line: locomov's own role, over TCP on 127.0.0.1, proving its password with SCRAM. There is no Unix
 * socket, and every other role, address and method matches no line and is refused.
 */
final class HostAccess {

    static final String FILE_NAME = "pg_hba.conf";

    private HostAccess() {
    }

    static void write(Path pgData, String role) throws IOException {
        OwnerOnlyFiles.write(pgData.resolve(FILE_NAME), """
                # Written by locomov at every start (docs/decisions/0102): only locomov's role, on 127.0.0.1,
                # with the password in %s. Edits here are overwritten.
                # TYPE  DATABASE  USER  ADDRESS  METHOD
                host    all       %s    127.0.0.1/32  scram-sha-256
                """.formatted(EmbeddedCredentials.FILE_NAME, role));
    }
}
