package org.locomov.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import org.locomov.store.Database;
import org.locomov.store.StoreSettings;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One short job of a tool command ({@code device}, {@code user}, {@code token}) against the database its
 * options name: beside a running {@code serve} it joins that embedded PostgreSQL, else it starts it for
 * the job. Options that cannot be used are refused like any usage error; a failure of the job is one
 * line {@code <command>: <reason>} on stderr and exit status {@value #FAILED}.
 */
final class DatabaseJob {

    static final int FAILED = 1;

    /** The job itself; it reports its own refusals (returning {@link #FAILED}) and leaves the rest to its caller. */
    @FunctionalInterface
    interface Work {
        int run(Database database, PrintWriter out, PrintWriter err) throws IOException;
    }

    private DatabaseJob() {
    }

    static int run(CommandSpec spec, DatabaseOptions options, String command, Work work) {
        PrintWriter err = spec.commandLine().getErr();
        return switch (storeSettings(options)) {
            case Checked.Refused<StoreSettings> refused -> Main.refuse(spec, refused);
            case Checked.Valid<StoreSettings> valid -> {
                try (Database database = Database.open(valid.value(), new SimpleMeterRegistry())) {
                    yield work.run(database, spec.commandLine().getOut(), err);
                } catch (IOException | RuntimeException e) {
                    err.println(command + ": " + e.getMessage());
                    yield FAILED;
                }
            }
        };
    }

    /** The database these options name, for one short job with one connection and console-only logging. */
    static Checked<StoreSettings> storeSettings(DatabaseOptions options) {
        Logging.forTool();
        SettingsProblems problems = new SettingsProblems();
        StoreSettings settings = options.storeSettings(problems, StoreSettings.KEEP_FOREVER);
        return problems.result(() -> settings.withPoolSize(1));
    }
}
