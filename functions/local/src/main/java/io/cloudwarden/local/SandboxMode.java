package io.cloudwarden.local;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.local.sandbox.SandboxServer;
import io.cloudwarden.model.Cloud;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --sandbox} for one CLI run: the sandbox server, and a configuration that points every provider at it and
 * keeps state in {@code <state-dir>/sandbox}, so sandbox state never mixes with real state.
 *
 * <p>The sandbox configuration is hermetic: provider settings from {@code --config} or {@code CLOUDWARDEN_*} (real
 * accounts, roles to assume, credentials) are dropped, so a sandbox run can never reach a real cloud.
 */
final class SandboxMode implements AutoCloseable {
    private final Path dir;
    private final SandboxServer server;
    private final CoreConfig base;

    private SandboxMode(Path dir, SandboxServer server, CoreConfig base) {
        this.dir = dir;
        this.server = server;
        this.base = base;
    }

    /** Starts the sandbox server on the sandbox state directory of this run's state location. */
    static SandboxMode start(Cli.Common common) {
        Path dir = directory(common);
        SandboxServer server = SandboxServer.start(dir);
        SandboxServer.installTrustStore();
        return new SandboxMode(dir, server, hermetic(common, dir));
    }

    /** {@code <state-dir>/sandbox}; the state location must be a local directory. */
    static Path directory(Cli.Common common) {
        String location = Runtime.config(common, Map.of()).stateLocation();
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
            if (!location.startsWith("file://")) {
                throw new InputException("--sandbox: the state location must be a local directory, but was "
                        + location + " (pass --state-dir DIR)");
            }
            return Path.of(URI.create(location)).resolve("sandbox");
        }
        return Path.of(location).resolve("sandbox");
    }

    /** Configuration for a sandbox command that only reads state (no server): e.g. {@code check --sandbox}. */
    static CoreConfig stateOnly(Cli.Common common) {
        Path dir = directory(common);
        return hermetic(common, dir);
    }

    private static CoreConfig hermetic(Cli.Common common, Path dir) {
        Map<String, String> values = new HashMap<>(Runtime.config(common, Map.of()).values());
        values.keySet().removeIf(k -> k.startsWith("cloudwarden.aws.") || k.startsWith("cloudwarden.azure.")
                || k.startsWith("cloudwarden.gcp.") || k.equals("cloudwarden.clouds")
                || k.equals("cloudwarden.policies") || k.equals("cloudwarden.apply"));
        values.put("cloudwarden.state", dir.toString());
        return CoreConfig.of(values);
    }

    Path directory() {
        return dir;
    }

    SandboxServer server() {
        return server;
    }

    /** The sandbox configuration with the command's own overrides (accounts, regions, apply) on top. */
    CoreConfig config(Map<String, String> overrides) {
        CoreConfig cfg = base;
        for (Map.Entry<String, String> e : server.config().entrySet()) {
            cfg = cfg.with(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (e.getKey().endsWith(".endpoint")) {
                throw new InputException("--endpoint-url cannot be combined with --sandbox (the sandbox serves its "
                        + "own endpoint)");
            }
            cfg = cfg.with(e.getKey(), e.getValue());
        }
        return cfg;
    }

    Cloudwarden open(Map<String, String> overrides) {
        return CliTelemetry.attachIfConfigured(Cloudwarden.fromConfig(config(overrides)));
    }

    List<Cloud> clouds() {
        return server.clouds();
    }

    Path ignoreFile() {
        return server.ignoreFile();
    }

    List<Path> terraformStates() {
        return server.terraformStates();
    }

    /**
     * Deletes the sandbox state directory's contents (snapshots, findings, plans, audit trail, scenario states) so a
     * cycle starts from the recorded estate. Only ever called on {@code <state-dir>/sandbox}.
     */
    static void reset(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot reset the sandbox state", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
