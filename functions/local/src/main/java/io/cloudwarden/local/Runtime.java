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

/** Builds the core's configuration for one CLI run: --config file, then environment, then command-line options. */
final class Runtime {
    private Runtime() {
    }

    static CoreConfig config(Cli.Common common, Map<String, String> overrides) {
        Map<String, String> base = new HashMap<>();
        if (common != null && common.config != null) {
            base.putAll(readProperties(common.config));
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
        return Cloudwarden.fromConfig(config(common, overrides));
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": no such file (--config expects a properties file)");
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
