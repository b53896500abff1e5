package org.locomov.server;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.locomov.store.Database;
import org.locomov.store.TokenRepository;
import org.locomov.store.TokenRepository.NewToken;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code locomov token create}: a new API token for a registered user, printed once. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create API tokens (revoke them with DELETE /api/v1/tokens/{id}).",
        subcommands = TokenCommand.CreateToken.class)
final class TokenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: create");
    }

    static void printSecret(PrintWriter out, NewToken token) {
        out.println("token " + token.id() + ": " + token.secret());
        out.println("(shown only now; send it as 'Authorization: Bearer <token>')");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create a token for a user and print it (shown once; stored hashed).")
    static final class CreateToken implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--email", paramLabel = "EMAIL", required = true, description = "The user's e-mail address.")
        String email;

        @Option(names = "--label", paramLabel = "TEXT", description = "What the token is for. Default: none.")
        String label;

        @Override
        public Integer call() {
            return DatabaseJob.run(spec, database, "token create", this::create);
        }

        private int create(Database db, PrintWriter out, PrintWriter err) {
            Optional<NewToken> token = new TokenRepository(db.dataSource()).create(email, label);
            if (token.isEmpty()) {
                err.println("token create: no user " + email + "; add one with 'locomov user add --email " + email + "'");
                return DatabaseJob.FAILED;
            }
            printSecret(out, token.get());
            return 0;
        }
    }
}
