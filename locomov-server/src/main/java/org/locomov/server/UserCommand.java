package org.locomov.server;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.locomov.store.Database;
import org.locomov.store.TokenRepository;
import org.locomov.store.TokenRepository.NewToken;
import org.locomov.store.UserRepository;
import org.locomov.store.UserRepository.User;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code locomov user add}: registers an API user ({@code sub}) and prints its first token, once. Works
 * beside a running {@code serve} on the same data directory, like {@code device}.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Register users of the HTTPS API.",
        subcommands = {UserCommand.AddUser.class, UserPasswordCommand.class})
final class UserCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: add or passwd");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Register a user and print a token for it (shown once; stored hashed).")
    static final class AddUser implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--email", paramLabel = "EMAIL", required = true, description = "The user's e-mail address.")
        String email;

        @Option(names = "--admin", description = "An administrator: sees and manages every device and user.")
        boolean admin;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Optional<String> problem = UserRepository.emailProblem(email);
            if (problem.isPresent()) {
                err.println("user add: --email " + problem.get());
                return DatabaseJob.FAILED;
            }
            return DatabaseJob.run(spec, database, "user add", this::add);
        }

        private int add(Database db, PrintWriter out, PrintWriter err) {
            Optional<User> user = new UserRepository(db.dataSource()).add(email, admin);
            if (user.isEmpty()) {
                err.println("user add: " + email + " is already registered; 'locomov token create' gives it a token");
                return DatabaseJob.FAILED;
            }
            NewToken token = new TokenRepository(db.dataSource()).createFor(user.get().id(), "created with the user");
            out.println((admin ? "admin " : "user ") + user.get().email() + " added");
            TokenCommand.printSecret(out, token);
            return 0;
        }
    }
}
