package org.locomov.server;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.locomov.store.Database;
import org.locomov.store.Device;
import org.locomov.store.DeviceAlreadyExistsException;
import org.locomov.store.DeviceRepository;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov device add|list}: the device registry ({@code pub}). Works beside a running
 * {@code serve} on the same data directory (it joins that embedded PostgreSQL) or on its own.
 */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Register devices and list them, issue their credentials and revoke them. Only registered "
                + "devices may send readings (unless serve runs with --auto-register).",
        subcommands = {DeviceCommand.AddDevice.class, DeviceCommand.ListDevices.class, DeviceCredentialsCommand.class,
                DeviceRevokeCommand.class})
final class DeviceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: add, list, credentials or revoke");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Register a device so that its readings are accepted.")
    static final class AddDevice implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--id", paramLabel = "N", required = true,
                description = "The id the device sends (its pub_id).")
        long deviceId;

        @Option(names = "--name", paramLabel = "NAME", description = "A name to know it by. Default: none.")
        String name;

        @Override
        public Integer call() {
            return DatabaseJob.run(spec, database, "device add", this::add);
        }

        private int add(Database db, PrintWriter out, PrintWriter err) {
            try {
                Device device = new DeviceRepository(db.dataSource()).add(deviceId, name);
                out.println("device " + device.pubId() + " added" + (name != null ? " (" + name + ")" : ""));
                return 0;
            } catch (DeviceAlreadyExistsException e) {
                err.println("device add: device " + deviceId + " is already registered");
                return DatabaseJob.FAILED;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List the registered devices.")
    static final class ListDevices implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            return DatabaseJob.run(spec, database, "device list", (db, out, err) -> {
                out.println(DeviceTable.render(new DeviceRepository(db.dataSource()).list()));
                return 0;
            });
        }
    }
}
