package io.cloudwarden.functions.logging;

import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Severity;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log line of a completed scheduled scan (INFO, logger {@code io.cloudwarden.functions.logging.ScanSummary}):
 * a sentence for people and, as structured fields, {@code event=scan.summary}, {@code cloud}, {@code trigger},
 * {@code resources}, {@code findings} and {@code findings.<severity>} for each severity, {@code shards.planned},
 * {@code shards.read}, {@code shards.unread}, {@code errors} (unread scopes in the snapshot), {@code partial} and
 * {@code durationMs}. The shard counts come from the scan's listener ({@link Counter}); a fanned-out scan merged
 * later has no listener here, so its line carries {@code shards.unread} (its unread scopes) and no planned/read counts.
 */
public final class ScanSummary {
    public static final String EVENT = "scan.summary";
    private static final Logger LOG = LoggerFactory.getLogger(ScanSummary.class);

    private ScanSummary() {
    }

    /** Counts the shards of one scan as the pipeline reports them (thread-safe: shards finish on pool threads). */
    public static final class Counter implements ScanListener {
        private final AtomicInteger planned = new AtomicInteger();
        private final AtomicInteger read = new AtomicInteger();
        private final AtomicInteger unread = new AtomicInteger();

        @Override
        public void planned(int shards) {
            planned.addAndGet(shards);
        }

        @Override
        public void shardFinished(Shard shard, int resources) {
            read.incrementAndGet();
        }

        @Override
        public void shardFailed(Shard shard, ScanError error) {
            unread.incrementAndGet();
        }
    }

    /** The structured fields of the summary of {@code outcome} ({@code counter} null: shard counts unknown). */
    public static Map<String, String> fields(Collection<Cloud> clouds, String trigger, ScanOutcome outcome,
            Counter counter, Duration took) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("event", EVENT);
        f.put(LogContext.CLOUD, clouds.stream().map(Cloud::id).collect(Collectors.joining(",")));
        f.put(LogContext.TRIGGER, trigger);
        f.put("resources", Integer.toString(outcome.snapshot().resources().size()));
        f.put("findings", Integer.toString(outcome.evaluation().findings().size()));
        Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            bySeverity.put(s, 0);
        }
        for (Finding finding : outcome.evaluation().findings()) {
            if (finding.severity() != null) {
                bySeverity.merge(finding.severity(), 1, Integer::sum);
            }
        }
        bySeverity.forEach((s, n) -> f.put("findings." + s.name().toLowerCase(Locale.ROOT), Integer.toString(n)));
        if (counter != null) {
            f.put("shards.planned", Integer.toString(counter.planned.get()));
            f.put("shards.read", Integer.toString(counter.read.get()));
            f.put("shards.unread", Integer.toString(counter.unread.get()));
        } else {
            f.put("shards.unread", Integer.toString(outcome.snapshot().errors().size()));
        }
        f.put("errors", Integer.toString(outcome.snapshot().errors().size()));
        f.put("partial", Boolean.toString(outcome.snapshot().partial()));
        f.put("durationMs", Long.toString(took.toMillis()));
        return f;
    }

    /** Logs the summary line of a completed scan. */
    public static void log(Collection<Cloud> clouds, String trigger, ScanOutcome outcome, Counter counter,
            Duration took) {
        Map<String, String> f = fields(clouds, trigger, outcome, counter, took);
        if (!LOG.isInfoEnabled()) {
            return;
        }
        try (LogContext ignored = LogContext.of(f)) {
            LOG.info("scan complete ({}, trigger {}): {} resources, {} findings ({} critical, {} high, {} medium, {}"
                    + " low, {} info), {} unread scope(s), {} ms", f.get(LogContext.CLOUD), trigger,
                    f.get("resources"), f.get("findings"), f.get("findings.critical"), f.get("findings.high"),
                    f.get("findings.medium"), f.get("findings.low"), f.get("findings.info"), f.get("errors"),
                    f.get("durationMs"));
        }
    }
}
