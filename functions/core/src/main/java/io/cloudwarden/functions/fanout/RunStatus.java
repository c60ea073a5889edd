package io.cloudwarden.functions.fanout;

import io.cloudwarden.engine.scan.ScanRun;
import io.cloudwarden.engine.scan.ScanRuns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where one fanned-out run stands: {@code collecting} (shards still coming, deadline not reached), {@code overdue}
 * (deadline passed and not merged: the merge never happened — it runs on the next shard delivery or the next tick),
 * {@code merging}, {@code merged}, {@code failed} (the merge failed; the next tick retries it) or
 * {@code superseded} (a newer scan became the latest first, so this one was not merged).
 */
public record RunStatus(String run, String trigger, Instant createdAt, Instant deadline, int shards, int collected,
        String state, String detail) {
    public static final String COLLECTING = "collecting";
    public static final String OVERDUE = "overdue";

    /** Every run in {@code runs} with where it stands at {@code now}, oldest first. */
    public static List<RunStatus> all(ScanRuns runs, Instant now) {
        List<RunStatus> out = new ArrayList<>();
        for (ScanRun run : runs.all()) {
            out.add(of(run, runs.resultKeys(run.id()).size(), runs.merge(run.id()).map(v -> v.value()), now));
        }
        return out;
    }

    /** True for a run that needs attention: its deadline passed unmerged, or its merge failed. */
    public boolean stuck() {
        return OVERDUE.equals(state) || ScanRuns.Merge.FAILED.equals(state);
    }

    /** True once the run reached an end: merged or superseded. */
    public boolean finished() {
        return ScanRuns.Merge.MERGED.equals(state) || ScanRuns.Merge.SUPERSEDED.equals(state);
    }

    static RunStatus of(ScanRun run, int collected, Optional<ScanRuns.Merge> merge, Instant now) {
        String state;
        String detail = "";
        if (merge.isPresent()) {
            state = merge.get().status();
            detail = ScanRuns.Merge.MERGED.equals(state)
                    ? merge.get().resources() + " resources, " + merge.get().errors() + " errors ("
                    + merge.get().missing() + " shards missing), " + merge.get().findings() + " findings"
                    : merge.get().message();
        } else {
            state = run.overdue(now) ? OVERDUE : COLLECTING;
        }
        return new RunStatus(run.id(), run.trigger(), run.createdAt(), run.deadline(), run.shards().size(),
                Math.min(collected, run.shards().size()), state, detail);
    }
}
