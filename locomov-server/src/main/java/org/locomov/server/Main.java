package org.locomov.server;

import org.locomov.transport.ListenerModule;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code locomov} command line. Every option of every subcommand can also come from a
 * {@code LOCOMOV_*} environment variable or the {@code --config} file ({@link EnvAndFileDefaults}).
 */
@Command(name = "locomov", mixinStandardHelpOptions = true, versionProvider = LocomovVersion.class,
        description = "A self-hosted TLS data-receipt server for small devices.",
        subcommands = {ServeCommand.class, DeviceCommand.class, CaCommand.class, CertCommand.class, UserCommand.class,
                TokenCommand.class,
                SendCommand.class, ParticleCommand.class})
public final class Main implements Runnable {

    /** Exit status of a command whose options were refused, as picocli uses for usage errors. */
    static final int USAGE_ERROR = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(withDefaultCommand(args)));
    }

    /**
     * The arguments with {@code serve} in front when they start with an option other than help or version:
     * the original mov-server had no subcommands, so its start line
     * ({@code ./mov-server -stderrthreshold=INFO -secure -dbdb=m0v ...}) starts the server with only the
     * program name changed.
     */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || !args[0].startsWith("-") || TOP_LEVEL_OPTIONS.contains(args[0])) {
            return args;
        }
        String[] serve = new String[args.length + 1];
        serve[0] = "serve";
        System.arraycopy(args, 0, serve, 1, args.length);
        return serve;
    }

    private static final java.util.Set<String> TOP_LEVEL_OPTIONS = java.util.Set.of("-h", "--help", "-V", "--version");

    /** The command tree, reading defaults from {@code environment} (injected so tests need not touch the real one). */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new Main());
        addListenerOptions(commandLine.getSubcommands().get("serve"));
        commandLine.registerConverter(Duration.class, new DurationConverter());
        // Registered after the subcommands exist: picocli hands it to the whole tree as it is now.
        commandLine.setDefaultValueProvider(new EnvAndFileDefaults(environment));
        return commandLine;
    }

    /** Each listener module's own options, mixed into {@code serve} under the module's name. */
    private static void addListenerOptions(CommandLine serve) {
        ServeCommand command = serve.getCommand();
        for (ListenerModule module : command.modules()) {
            if (module.options() != null) {
                serve.addMixin(module.name(), module.options());
            }
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: serve, device or send");
    }

    /** Prints every reason settings were refused, each naming its option, and returns the usage status. */
    static int refuse(CommandSpec command, Checked.Refused<?> refused) {
        for (String reason : refused.reasons()) {
            command.commandLine().getErr().println(command.qualifiedName() + ": " + reason);
        }
        return USAGE_ERROR;
    }
}
