package io.cloudwarden.engine.scan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.state.StateRepository;
import io.cloudwarden.engine.state.Versioned;
import io.cloudwarden.model.Hashing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of fanned-out scans, on the {@link io.cloudwarden.engine.spi.StateStore} (file system, S3, Blob, GCS),
 * in three prefixes so that listing one never walks the others:
 * <ul>
 *   <li>{@code runs/<run>.json}: the plan ({@link ScanRun}), written once ({@code IF_ABSENT}); planning the same
 *       trigger again finds it and re-queues the same shards;</li>
 *   <li>{@code shard-results/<run>/<sha256(shard)>.json}: one {@link ShardResult} per shard, written
 *       {@code IF_ABSENT}: the first delivery of a shard wins, a redelivery finds it and adds nothing;</li>
 *   <li>{@code merges/<run>.json}: the merge claim and its outcome ({@link Merge}), written {@code IF_ABSENT} by the
 *       one instance that merges; a failed (or stale {@code merging}) claim is taken over with {@code IF_MATCH}.</li>
 * </ul>
 * The run id is derived from the trigger (a schedule slot), so a retried tick plans the same run.
 *
 * <p>Retention ({@link #prune}): the records of finished runs ({@code merged} or {@code superseded}) are kept for the
 * newest {@code cloudwarden.state.keep-snapshots} of them, as the snapshot history is; older ones are deleted. A run
 * that is still collecting, overdue, merging or failed is never pruned.
 */
public final class ScanRuns {
    public static final String RUNS = "runs/";
    public static final String RESULTS = "shard-results/";
    public static final String MERGES = "merges/";

    private final StateRepository repository;

    public ScanRuns(StateRepository repository) {
        this.repository = repository;
    }

    /** {@code r-} and 24 hex digits of the trigger's SHA-256: file-name safe, stable across retries of a tick. */
    public static String runId(String trigger) {
        return "r-" + Hashing.sha256Hex(trigger).substring(0, 24);
    }

    public static String shardKey(Shard shard) {
        return Hashing.sha256Hex(shard.cloud().id() + "|" + shard.account() + "|" + shard.region() + "|"
                + shard.type());
    }

    /** Stores the plan unless one with this id exists; returns the stored plan (the earlier one if any). */
    public ScanRun create(ScanRun run) {
        try {
            repository.putJson(RUNS + run.id() + ".json", run, Precondition.IF_ABSENT);
            return run;
        } catch (PreconditionFailedException e) {
            return find(run.id()).orElseThrow(() -> e);
        }
    }

    public Optional<ScanRun> find(String runId) {
        return repository.getJson(RUNS + runId + ".json", ScanRun.class);
    }

    /** Every planned run, oldest first. */
    public List<ScanRun> all() {
        List<ScanRun> runs = new ArrayList<>();
        for (String key : repository.store().list(RUNS)) {
            if (key.endsWith(".json")) {
                repository.getJson(key, ScanRun.class).ifPresent(runs::add);
            }
        }
        runs.sort(java.util.Comparator.comparing(ScanRun::createdAt).thenComparing(ScanRun::id));
        return runs;
    }

    /** Writes the shard's result if it is the first; false when the shard already had one (a redelivery). */
    public boolean putResult(ShardResult result) {
        try {
            repository.putJson(resultKey(result.run(), result.shard()), result, Precondition.IF_ABSENT);
            return true;
        } catch (PreconditionFailedException e) {
            return false;
        }
    }

    public boolean hasResult(String runId, Shard shard) {
        return repository.store().get(resultKey(runId, shard)).isPresent();
    }

    /** The keys of the results in so far (cheap: a listing, no reads). */
    public List<String> resultKeys(String runId) {
        return repository.store().list(RESULTS + runId + "/");
    }

    public List<ShardResult> results(String runId) {
        List<ShardResult> out = new ArrayList<>();
        for (String key : resultKeys(runId)) {
            repository.getJson(key, ShardResult.class).ifPresent(out::add);
        }
        return out;
    }

    private static String resultKey(String runId, Shard shard) {
        return RESULTS + runId + "/" + shardKey(shard) + ".json";
    }

    /** The merge record of a run: {@code merging}, {@code merged}, {@code failed} or {@code superseded}. */
    @JsonPropertyOrder({"status", "at", "by", "resources", "errors", "missing", "findings", "message"})
    public record Merge(String status, Instant at, String by, int resources, int errors, int missing, int findings,
            String message) {
        public static final String MERGING = "merging";
        public static final String MERGED = "merged";
        public static final String FAILED = "failed";
        public static final String SUPERSEDED = "superseded";

        public Merge {
            by = by == null ? "" : by;
            message = message == null ? "" : message;
        }

        public static Merge started(Instant at, String by) {
            return new Merge(MERGING, at, by, 0, 0, 0, 0, "");
        }
    }

    public Optional<Versioned<Merge>> merge(String runId) {
        return repository.getJsonVersioned(MERGES + runId + ".json", Merge.class);
    }

    /**
     * Claims the run's merge: true for the first claim, or for taking over a {@code failed} claim or a
     * {@code merging} claim older than {@code staleBefore} (its instance died); false when another instance owns it
     * or the run is already merged.
     */
    public boolean claimMerge(String runId, Merge claim, Instant staleBefore) {
        String key = MERGES + runId + ".json";
        try {
            Optional<Versioned<Merge>> current = merge(runId);
            if (current.isEmpty()) {
                repository.putJson(key, claim, Precondition.IF_ABSENT);
                return true;
            }
            Merge m = current.get().value();
            boolean takeOver = Merge.FAILED.equals(m.status())
                    || (Merge.MERGING.equals(m.status()) && m.at().isBefore(staleBefore));
            if (!takeOver) {
                return false;
            }
            repository.putJson(key, claim, Precondition.ifMatch(current.get().version()));
            return true;
        } catch (PreconditionFailedException e) {
            return false;
        }
    }

    /**
     * Deletes the records of the finished runs ({@code merged} or {@code superseded}) beyond the newest {@code keep},
     * newest by the time their merge finished: first the shard results, then the plan, the merge record last — so a
     * prune cut short leaves a run that still reads as finished (a late shard of it is a duplicate) and the next
     * prune, which walks {@code merges/}, completes it. Returns the ids of the runs pruned, oldest first.
     */
    public List<String> prune(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep: expected at least 1 but was " + keep);
        }
        record Finished(String run, Instant at) {
        }
        List<Finished> finished = new ArrayList<>();
        for (String key : repository.store().list(MERGES)) {
            if (!key.endsWith(".json")) {
                continue;
            }
            String run = key.substring(MERGES.length(), key.length() - ".json".length());
            merge(run).map(Versioned::value)
                    .filter(m -> Merge.MERGED.equals(m.status()) || Merge.SUPERSEDED.equals(m.status()))
                    .ifPresent(m -> finished.add(new Finished(run, m.at())));
        }
        finished.sort(java.util.Comparator.comparing(Finished::at).thenComparing(Finished::run));
        List<String> pruned = new ArrayList<>();
        for (int i = 0; i < finished.size() - keep; i++) {
            String run = finished.get(i).run();
            resultKeys(run).forEach(repository.store()::delete);
            repository.store().delete(RUNS + run + ".json");
            repository.store().delete(MERGES + run + ".json");
            pruned.add(run);
        }
        return pruned;
    }

    /** Records the merge's outcome (the claim is this instance's, so an unconditional write). */
    public void finishMerge(String runId, Merge outcome) {
        repository.putJson(MERGES + runId + ".json", outcome, Precondition.NONE);
    }
}
