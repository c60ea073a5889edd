package io.cloudwarden.local;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the core's configuration for one CLI run. Later sources win:
 * <ol>
 * <li>{@code ~/.cloudwarden/config.properties} (the user's settings; {@code ~} is the JVM's {@code user.home}),</li>
 * <li>{@code ./cloudwarden.properties} (the project's, in the working directory, found like
 * {@code .cloudwardenignore}),</li>
 * <li>{@code --config FILE},</li>
 * <li>system properties {@code cloudwarden.*} and environment variables {@code CLOUDWARDEN_*},</li>
 * <li>command-line options.</li>
 * </ol>
 * The discovered files are read only when present; a present file that cannot be read is an input error naming it.
 */
final class Runtime {
    static final String USER_FILE = "config.properties";
    static final String PROJECT_FILE = "cloudwarden.properties";

    private Runtime() {
    }

    /** The properties files read, lowest precedence first: the two discovered ones that exist, then --config. */
    static java.util.List<Path> configFiles(Cli.Common common) {
        return configFiles(common, Path.of(System.getProperty("user.home")), Path.of(""));
    }

    /** As above, with the home and working directories given (tests). */
    static java.util.List<Path> configFiles(Cli.Common common, Path home, Path workDir) {
        java.util.List<Path> files = new java.util.ArrayList<>();
        Path user = home.resolve(".cloudwarden").resolve(USER_FILE);
        if (Files.isRegularFile(user)) {
            files.add(user);
        }
        Path project = workDir.resolve(PROJECT_FILE);
        if (Files.isRegularFile(project)) {
            files.add(project);
        }
        if (common != null && common.config != null) {
            files.add(common.config);
        }
        return files;
    }

    static CoreConfig config(Cli.Common common, Map<String, String> overrides) {
        return config(configFiles(common), common, overrides);
    }

    static CoreConfig config(java.util.List<Path> files, Cli.Common common, Map<String, String> overrides) {
        Map<String, String> base = new HashMap<>();
        for (Path file : files) {
            base.putAll(readProperties(file));
        }
        CoreConfig cfg = CoreConfig.fromEnvironment(base, System.getenv());
        if (common != null && common.stateDir != null) {
            cfg = cfg.with("cloudwarden.state", common.stateDir);
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            cfg = cfg.with(e.getKey(), e.getValue());
        }
        return cfg;
    }

    static Cloudwarden open(Cli.Common common, Map<String, String> overrides) {
        return CliTelemetry.attachIfConfigured(Cloudwarden.fromConfig(config(common, overrides)));
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": no such file (expected a properties file of cloudwarden.* settings)");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(file + ": not a readable properties file: " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }
}
