package org.locomov.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import org.locomov.particle.keys.ParticleIds;
import org.locomov.particle.keys.PgParticleDevices;
import org.locomov.particle.keys.RsaKeys;
import org.locomov.particle.keys.ServerKeyFile;
import org.locomov.particle.keys.ServerKeyStore;
import org.locomov.store.Database;
import org.locomov.tls.MasterKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov particle server-key|keys}: the server public key for a device's flash, and a device's
 * public key into locomov (a locomov device with its Particle id).
 */
@Command(name = "particle", mixinStandardHelpOptions = true,
        description = "Spark/Particle devices: write the server key for a device, register a device's key.",
        subcommands = {ParticleCommand.ServerKey.class, ParticleCommand.Keys.class})
final class ParticleCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: server-key or keys");
    }

    private static MasterKey masterKey(Database database, Path masterKeyFile, Path dataDirectory) throws IOException {
        return masterKeyFile != null ? MasterKey.openOrCreate(masterKeyFile, false)
                : MasterKey.openOrCreate(dataDirectory.resolve("tls").resolve(TlsOptions.MASTER_KEY_FILE), true);
    }

    @Command(name = "server-key", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write the server public key (RSA-2048, created on first need and shared by every node) in "
                    + "the DER form a device holds; with --host, the 512-byte block 'particle keys server' writes, "
                    + "naming this server's address and port.")
    static final class ServerKey implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the key (never overwritten).")
        Path out;

        @Option(names = "--host", paramLabel = "HOST", description = "The server's IPv4 address or name, as devices reach it.")
        String host;

        @Option(names = "--port", paramLabel = "PORT", description = "The Particle listener's port, when not 5683.")
        Integer port;

        @Option(names = "--pem", description = "Write PEM instead of DER (for spark-server style tools).")
        boolean pem;

        @Option(names = "--tls-master-key-file", paramLabel = "FILE",
                description = "Key that seals the server key in the database; the one 'serve' uses. "
                        + "Default: <data-dir>/tls/" + TlsOptions.MASTER_KEY_FILE + ", created when missing.")
        Path masterKeyFile;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (Files.exists(out)) {
                err.println("particle server-key: " + out.toAbsolutePath() + " exists; key files are never overwritten");
                return DatabaseJob.FAILED;
            }
            if (port != null && (port < 1 || port > 65_535)) {
                err.println("particle server-key: --port must be between 1 and 65535, was " + port);
                return Main.USAGE_ERROR;
            }
            if (pem && host != null) {
                err.println("particle server-key: --host writes the device's binary block; it does not go with --pem");
                return Main.USAGE_ERROR;
            }
            if (port != null && host == null) {
                err.println("particle server-key: --port goes with --host");
                return Main.USAGE_ERROR;
            }
            return DatabaseJob.run(spec, database, "particle server-key", this::write);
        }

        private int write(Database db, PrintWriter stdout, PrintWriter err) throws IOException {
            MasterKey master = masterKey(db, masterKeyFile, database.dataDirectory());
            KeyPair key = new ServerKeyStore(db.dataSource(), () -> master, InetAddress.getLocalHost().getHostName())
                    .loadOrCreate();
            byte[] bytes = pem ? ServerKeyFile.pem(key.getPublic())
                    : host != null ? ServerKeyFile.withAddress(key.getPublic(), host, port)
                    : ServerKeyFile.der(key.getPublic());
            Files.write(out, bytes, StandardOpenOption.CREATE_NEW);
            stdout.println("server public key written to " + out.toAbsolutePath() + " (" + bytes.length + " bytes"
                    + (host != null ? ", address " + host + (port != null ? ":" + port : "") : "") + ")");
            if (!pem) {
                stdout.println("put it on a device in DFU mode with: particle keys server " + out);
            }
            return 0;
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Register a device's public key under its Particle id (a new locomov device when the id is "
                    + "new; a known one gets the new key).")
    static final class Keys implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--id", paramLabel = "24HEX", required = true, description = "The device's Particle id.")
        String id;

        @Option(names = "--public-key", paramLabel = "FILE", required = true,
                description = "Its RSA public key, PEM or DER (e.g. from 'particle keys save' or 'openssl rsa -pubout').")
        Path publicKey;

        @Option(names = "--name", paramLabel = "NAME", description = "The device's name in locomov.")
        String name;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String particleId;
            RSAPublicKey key;
            try {
                particleId = ParticleIds.parse(id);
            } catch (IllegalArgumentException e) {
                err.println("particle keys: --id: " + e.getMessage());
                return Main.USAGE_ERROR;
            }
            try {
                key = RsaKeys.parsePublic(Files.readAllBytes(publicKey));
            } catch (IOException | IllegalArgumentException e) {
                err.println("particle keys: --public-key " + publicKey + ": " + e.getMessage());
                return DatabaseJob.FAILED;
            }
            if (RsaKeys.bits(key) < 1024) {
                err.println("particle keys: the key has " + RsaKeys.bits(key) + " bits; a device key has at least 1024");
                return DatabaseJob.FAILED;
            }
            return DatabaseJob.run(spec, database, "particle keys", (db, out, jobErr) -> {
                try {
                    PgParticleDevices.Registration done = new PgParticleDevices(db.dataSource(), Runnable::run)
                            .register(particleId, key, name);
                    out.println((done.created() ? "device " + done.deviceId() + " created for Particle id "
                            : "new key for device " + done.deviceId() + ", Particle id ") + particleId
                            + " (RSA-" + RsaKeys.bits(key) + ")");
                    return 0;
                } catch (SQLException e) {
                    jobErr.println("particle keys: " + e.getMessage());
                    return DatabaseJob.FAILED;
                }
            });
        }
    }
}
