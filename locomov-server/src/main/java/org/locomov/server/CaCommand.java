package org.locomov.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.locomov.store.Database;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.OperatorCaRepository.OperatorCa;
import org.locomov.tls.CertificateFileException;
import org.locomov.tls.Fingerprints;
import org.locomov.tls.PemFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov ca register|list|remove}: the operator CAs whose client certificates (CN = device id) every
 * node and every listener accepts, kept in the database. A change reaches running nodes within a second
 * (they are told through PostgreSQL notifications) without a restart.
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "Register, list and remove operator CAs: CAs whose client certificates (subject CN = the device "
                + "id) every node accepts, besides locomov's own device CA.",
        subcommands = {CaCommand.Register.class, CaCommand.ListCas.class, CaCommand.Remove.class})
final class CaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: register, list or remove");
    }

    @Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Trust the CA certificate in a PEM file for device client certificates, on every node.")
    static final class Register implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--pem", paramLabel = "FILE", required = true,
                description = "The CA certificate (PEM; only the first certificate of the file is taken).")
        Path pem;

        @Option(names = "--auto-provision", arity = "0..1", paramLabel = "BOOLEAN",
                description = "A valid certificate from this CA that names an unknown device registers that device on "
                        + "its first connection. Default: off (the device must be added first).")
        boolean autoProvision;

        @Override
        public Integer call() {
            return DatabaseJob.run(spec, database, "ca register", this::register);
        }

        private int register(Database db, PrintWriter out, PrintWriter err) throws CertificateFileException {
            X509Certificate ca = PemFiles.readCertificates(pem).getFirst();
            if (ca.getBasicConstraints() < 0) {
                err.println("ca register: " + PemFiles.subject(ca) + " is not a CA certificate (no basicConstraints CA:true)");
                return DatabaseJob.FAILED;
            }
            if (ca.getNotAfter().toInstant().isBefore(Instant.now())) {
                err.println("ca register: " + PemFiles.subject(ca) + " expired at " + ca.getNotAfter().toInstant());
                return DatabaseJob.FAILED;
            }
            OperatorCa stored = new OperatorCaRepository(db.dataSource()).register(Fingerprints.sha256(ca),
                    PemFiles.subject(ca), PemFiles.certificatesPem(List.of(ca)), ca.getNotAfter().toInstant(),
                    autoProvision);
            out.println("operator CA " + stored.id() + " registered: " + stored.subject()
                    + (stored.autoProvision() ? "; unknown devices it names are registered on first connection" : "")
                    + "; every node trusts it within a second");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List the registered operator CAs.")
    static final class ListCas implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            return DatabaseJob.run(spec, database, "ca list", (db, out, err) -> {
                List<OperatorCa> cas = new OperatorCaRepository(db.dataSource()).list();
                if (cas.isEmpty()) {
                    out.println("no operator CA is registered");
                }
                for (OperatorCa ca : cas) {
                    out.printf("%d  %s  expires %s  auto-provision %s  sha256 %s%n", ca.id(), ca.subject(), ca.notAfter(),
                            ca.autoProvision() ? "on" : "off", HexFormat.of().formatHex(ca.sha256()));
                }
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Stop trusting an operator CA, on every node. Devices it provisioned stay registered.")
    static final class Remove implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--id", paramLabel = "N", required = true, description = "The CA's id, as 'ca list' shows it.")
        long id;

        @Override
        public Integer call() {
            return DatabaseJob.run(spec, database, "ca remove", (db, out, err) -> {
                if (!new OperatorCaRepository(db.dataSource()).remove(id)) {
                    err.println("ca remove: no operator CA has id " + id);
                    return DatabaseJob.FAILED;
                }
                out.println("operator CA " + id + " removed; no node trusts it any more");
                return 0;
            });
        }
    }
}
