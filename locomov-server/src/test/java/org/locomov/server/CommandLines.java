package org.locomov.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Parses locomov command lines as {@link Main} does, with an injected environment. */
final class CommandLines {

    private CommandLines() {
    }

    /** The {@code serve} command after parsing {@code args} (which start after "serve"); starts nothing. */
    static ServeCommand serve(Map<String, String> environment, String... args) {
        return subcommand(environment, "serve", args);
    }

    static <T> T subcommand(Map<String, String> environment, String name, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult result = Main.commandLine(environment).parseArgs(all);
        CommandLine.ParseResult leaf = result;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf.commandSpec().commandLine().getCommand();
    }

    static ServerSettings validSettings(ServeCommand serve) {
        return switch (serve.settings()) {
            case Checked.Valid<ServerSettings> valid -> valid.value();
            case Checked.Refused<ServerSettings> refused ->
                    throw new AssertionError("settings refused: " + refused.reasons());
        };
    }

    /** The mov listener's settings as {@code serve} planned them. */
    static org.locomov.mov.MovSettings mov(ServerSettings settings) {
        return (org.locomov.mov.MovSettings) settings.listener("mov").settings();
    }

    static java.util.List<String> refusals(ServeCommand serve) {
        return switch (serve.settings()) {
            case Checked.Valid<ServerSettings> valid -> java.util.List.of();
            case Checked.Refused<ServerSettings> refused -> refused.reasons();
        };
    }

    /** Runs a command line that must be refused before anything starts; returns status and stderr. */
    static Outcome execute(Map<String, String> environment, String... args) {
        CommandLine commandLine = Main.commandLine(environment);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    record Outcome(int status, String out, String err) {
    }
}
