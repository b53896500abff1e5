package org.locomov.server;

import java.nio.file.Path;
import java.time.Duration;
import org.locomov.store.StoreSettings;
import picocli.CommandLine.Option;

/**
 * The options every command that opens the database shares ({@code serve}, {@code device add},
 * {@code device list}), mixed into each so they read the same flags, variables and config keys.
 * The original mov-server's {@code -dbdb}, {@code -dbuser} and {@code -dbpw} are accepted so that
 * locomov can replace it without changing how it is started.
 */
final class DatabaseOptions {

    static final String DEFAULT_DATA_DIR = "./locomov-data";
    /** Where the original mov-server's {@code -dbdb NAME} looked for its database. */
    static final String LEGACY_DATABASE_URL_PREFIX = "jdbc:postgresql://127.0.0.1:5432/";

    @Option(names = EnvAndFileDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "Properties file of option values, key = option name without dashes (db-url=...). "
                    + "Flags win over LOCOMOV_* variables, which win over this file. Env: LOCOMOV_CONFIG.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DEFAULT_DATA_DIR,
            description = "Where locomov keeps the embedded database, certificates and logs. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--db-url", paramLabel = "JDBC-URL",
            description = "External PostgreSQL 14+ (jdbc:postgresql://HOST:PORT/DB). Default: none, an embedded "
                    + "PostgreSQL under the data dir.")
    String databaseUrl;

    @Option(names = "-dbdb", paramLabel = "NAME",
            description = "The original mov-server's flag: database NAME at 127.0.0.1:5432 "
                    + "(same as --db-url " + LEGACY_DATABASE_URL_PREFIX + "NAME).")
    String legacyDatabaseName;

    @Option(names = {"--db-user", "-dbuser"}, paramLabel = "USER",
            description = "User for the external database. Default: none.")
    String databaseUser;

    @Option(names = {"--db-password", "-dbpw"}, paramLabel = "PASSWORD",
            description = "Password for the external database. Default: none.")
    String databasePassword;

    @Option(names = "--db-pool-size", paramLabel = "N", defaultValue = "" + StoreSettings.DEFAULT_POOL_SIZE,
            description = "Database connections in the pool, 1 to " + StoreSettings.MAX_POOL_SIZE
                    + ". Default: ${DEFAULT-VALUE}.")
    int poolSize;

    @Option(names = "--embedded-db-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the embedded PostgreSQL on 127.0.0.1; 0 = any free port (the banner shows it). "
                    + "Default: ${DEFAULT-VALUE}.")
    int embeddedPort;

    /**
     * The store settings these options describe, or {@code null} after adding to {@code problems} why
     * they cannot be used. {@link StoreSettings} checks the values it owns (URL form, pool size, port).
     */
    StoreSettings storeSettings(SettingsProblems problems, Duration retention) {
        problems.refuseIf(databaseUrl != null && legacyDatabaseName != null,
                "--db-url and -dbdb both name the database; give only one");
        if (legacyDatabaseName != null) {
            problems.refuseIf(!legacyDatabaseName.matches("[A-Za-z0-9_$-]+"),
                    "-dbdb takes a database name (letters, digits, _ - $), was '" + legacyDatabaseName + "'");
        }
        String url = databaseUrl != null ? databaseUrl
                : legacyDatabaseName != null ? LEGACY_DATABASE_URL_PREFIX + legacyDatabaseName : null;
        // The embedded server needs no credentials; credentials without a URL mean a forgotten URL,
        // which would otherwise silently start an empty embedded database instead.
        problems.refuseIf(url == null && databaseUser != null,
                "--db-user is for an external database; give --db-url (or -dbdb) too");
        problems.refuseIf(url == null && databasePassword != null,
                "--db-password is for an external database; give --db-url (or -dbdb) too");
        return problems.build(() -> new StoreSettings(url, databaseUser, databasePassword, dataDirectory(),
                embeddedPort, poolSize, retention));
    }

    Path dataDirectory() {
        return dataDir.toAbsolutePath().normalize();
    }
}
