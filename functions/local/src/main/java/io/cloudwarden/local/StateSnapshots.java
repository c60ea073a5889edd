package io.cloudwarden.local;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.StateStores;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.SnapshotReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The snapshot a command argument names: a file, or {@value #LATEST} / {@value #PREVIOUS} for the state's latest
 * snapshot (the last full scan with the events' pending updates laid over it, see {@link StateRepository}) and the
 * full scan before it. Reading {@code snapshots/latest.json} as a file gives the base only, without the updates.
 */
final class StateSnapshots {
    static final String LATEST = "@latest";
    static final String PREVIOUS = "@previous";

    private StateSnapshots() {
    }

    static Snapshot read(Cli.Common common, Path argument) throws IOException {
        return read(common, argument, SnapshotReader.Raw.KEEP);
    }

    /** As {@link #read(Cli.Common, Path)}; a file is read with {@code raw} (state snapshots always keep it). */
    static Snapshot read(Cli.Common common, Path argument, SnapshotReader.Raw raw) throws IOException {
        return read(isState(argument) ? Runtime.config(common, Map.of()) : null, argument, raw);
    }

    /** As above, with the state of {@code cfg} (e.g. the sandbox's, {@code <state-dir>/sandbox}). */
    static Snapshot read(CoreConfig cfg, Path argument, SnapshotReader.Raw raw) throws IOException {
        String name = argument.toString();
        if (!isState(argument)) {
            return SnapshotReader.read(argument, raw);
        }
        StateRepository repo = repository(cfg);
        return (name.equals(LATEST) ? repo.latestSnapshot() : repo.previousSnapshot()).orElseThrow(() ->
                new InputException(name + ": no " + (name.equals(LATEST) ? "" : "previous ") + "snapshot in "
                        + cfg.stateLocation() + " (run 'cloudwarden scan' first)"));
    }

    static boolean isState(Path argument) {
        return argument.toString().equals(LATEST) || argument.toString().equals(PREVIOUS);
    }

    static StateRepository repository(CoreConfig cfg) {
        return new StateRepository(StateStores.open(cfg.stateLocation(), ProviderRegistry.discover(), cfg),
                cfg.keepSnapshots(), cfg.compactAfter());
    }
}
