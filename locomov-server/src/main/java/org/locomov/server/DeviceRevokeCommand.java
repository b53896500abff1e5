package org.locomov.server;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.DeviceCredentialRepository.Revocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov device revoke --id N}: revokes the device and every credential it holds (certificate, PSK,
 * token). Every running {@code serve} on the database refuses its certificate from the next connection on,
 * and its packets without a certificate within a second: the revocation is announced to every node
 * (decisions 0803, 1104), which forgets the device and closes its sessions.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Revoke a device and its credentials (client certificate, PSK, token): every listener refuses "
                + "them from the next connection on. 'device credentials' admits it again with new ones.")
final class DeviceRevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--id", paramLabel = "N", required = true, description = "The device to revoke.")
    long deviceId;

    @Override
    public Integer call() {
        return DatabaseJob.run(spec, database, "device revoke", this::revoke);
    }

    private int revoke(Database db, PrintWriter out, PrintWriter err) {
        Optional<Revocation> revocation = new DeviceCredentialRepository(db.dataSource()).revoke(deviceId);
        if (revocation.isEmpty()) {
            err.println("device revoke: device " + deviceId + " is not registered");
            return DatabaseJob.FAILED;
        }
        out.println("device " + deviceId + " revoked" + (revocation.get().deviceWasRevokedAlready() ? " (it already was)" : "")
                + "; credentials revoked now: " + revocation.get().credentialsRevoked()
                + "; every listener refuses it from its next connection");
        return 0;
    }
}
