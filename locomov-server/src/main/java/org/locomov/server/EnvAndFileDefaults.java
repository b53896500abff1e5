package org.locomov.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives an option its value when the command line did not: first the environment variable
 * {@code LOCOMOV_<NAME>} ({@code --db-url} → {@code LOCOMOV_DB_URL}, {@code -dbdb} → {@code LOCOMOV_DBDB}),
 * then the key {@code <name>} ({@code db-url}) of the {@code --config} properties file. Returning
 * {@code null} leaves the option's own documented default, so the precedence is flag &gt; env &gt; file &gt;
 * default. Blank environment values count as unset, as compose files and unit files often leave them.
 *
 * <p>Picocli asks for defaults after it has matched the command line, so {@code --config} given as a
 * flag is already known when the other options are looked up.
 *
 * <p>Used on the thread that parses the command line only; the file cache is not shared.
 */
final class EnvAndFileDefaults implements IDefaultValueProvider {

    static final String CONFIG_OPTION = "--config";
    static final String ENV_PREFIX = "LOCOMOV_";

    private final Map<String, String> environment;
    private final Map<Path, Properties> loadedFiles = new HashMap<>();

    EnvAndFileDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The file key of an option: its longest name without leading dashes ({@code db-url}). */
    static String fileKey(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** The environment variable of an option ({@code LOCOMOV_DB_URL}). */
    static String environmentVariable(OptionSpec option) {
        return ENV_PREFIX + fileKey(option).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String fromEnvironment = environment.get(environmentVariable(option));
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        if (option.longestName().equals(CONFIG_OPTION)) {
            return null;
        }
        Path configFile = configFile(option.command());
        return configFile == null ? null : properties(configFile, option.command()).getProperty(fileKey(option));
    }

    /** The {@code --config} file: as given on the command line, else from {@code LOCOMOV_CONFIG}, else none. */
    private Path configFile(CommandSpec command) {
        OptionSpec config = command.findOption(CONFIG_OPTION);
        if (config == null) {
            return null;
        }
        if (config.getValue() != null) {
            return config.getValue();
        }
        String fromEnvironment = environment.get(environmentVariable(config));
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : Path.of(fromEnvironment);
    }

    private Properties properties(Path file, CommandSpec command) {
        return loadedFiles.computeIfAbsent(file, path -> {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(),
                        CONFIG_OPTION + ": cannot read " + path.toAbsolutePath() + " (" + e.getMessage() + ")");
            }
            List<String> unknown = unknownKeys(properties, command.root());
            if (!unknown.isEmpty()) {
                throw new CommandLine.ParameterException(command.commandLine(), CONFIG_OPTION + ": "
                        + path.toAbsolutePath() + " has keys that name no option: " + String.join(", ", unknown));
            }
            return properties;
        });
    }

    /**
     * The keys that name no option of any locomov command: most likely typing mistakes, refused rather
     * than silently ignored. Checked against every command because one file serves them all.
     */
    private static List<String> unknownKeys(Properties file, CommandSpec root) {
        Set<String> known = new HashSet<>();
        collectKeys(root, known);
        return file.stringPropertyNames().stream().filter(key -> !known.contains(key)).sorted().toList();
    }

    private static void collectKeys(CommandSpec command, Set<String> keys) {
        command.options().forEach(option -> keys.add(fileKey(option)));
        command.subcommands().values().forEach(sub -> collectKeys(sub.getCommandSpec(), keys));
    }
}
