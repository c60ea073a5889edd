package io.cloudwarden.functions.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every instrument Cloudwarden reports, defined once (docs/TELEMETRY.md lists them with units and attributes; the
 * dashboards and alarms of {@code infra/} use these names, checked by a test). Names follow OpenTelemetry's
 * conventions; the Prometheus rendering ({@code serve}'s {@code /q/metrics}) turns dots into underscores, appends the
 * unit ({@code _seconds}) and {@code _total} to counters.
 *
 * <p>Remediation, breaker and chatops counts are read off the audit chain ({@link #audited}): each counts an audited
 * decision, so the metrics and the trail can never disagree.
 */
public final class CloudwardenMetrics {
    public static final String RESOURCES_SCANNED = "cloudwarden.resources.scanned";
    public static final String API_CALLS = "cloudwarden.api.calls";
    public static final String API_RETRIES = "cloudwarden.api.retries";
    public static final String API_THROTTLES = "cloudwarden.api.throttles";
    public static final String SHARDS_UNREAD = "cloudwarden.shards.unread";
    public static final String SCAN_DURATION = "cloudwarden.scan.duration";
    public static final String SHARD_DURATION = "cloudwarden.shard.duration";
    public static final String EVALUATION_DURATION = "cloudwarden.evaluation.duration";
    public static final String FINDINGS = "cloudwarden.findings";
    public static final String FINDINGS_OPEN = "cloudwarden.findings.open";
    public static final String REMEDIATION_PLANS = "cloudwarden.remediation.plans";
    public static final String BREAKER_TRIPS = "cloudwarden.remediation.breaker.trips";
    public static final String CHATOPS_REQUESTS = "cloudwarden.chatops.requests";
    public static final String EVENT_LATENCY = "cloudwarden.event.latency";

    /** Every instrument name, in the order docs/TELEMETRY.md lists them. */
    public static final List<String> NAMES = List.of(RESOURCES_SCANNED, API_CALLS, API_RETRIES, API_THROTTLES,
            SHARDS_UNREAD, SCAN_DURATION, SHARD_DURATION, EVALUATION_DURATION, FINDINGS, FINDINGS_OPEN,
            REMEDIATION_PLANS, BREAKER_TRIPS, CHATOPS_REQUESTS, EVENT_LATENCY);

    public static final AttributeKey<String> CLOUD = AttributeKey.stringKey("cloud");
    public static final AttributeKey<String> TYPE = AttributeKey.stringKey("type");
    public static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service");
    public static final AttributeKey<String> CODE = AttributeKey.stringKey("code");
    public static final AttributeKey<String> SEVERITY = AttributeKey.stringKey("severity");
    public static final AttributeKey<String> RULE = AttributeKey.stringKey("rule");
    public static final AttributeKey<String> ACTION = AttributeKey.stringKey("action");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    public static final AttributeKey<String> PATH = AttributeKey.stringKey("path");
    public static final AttributeKey<String> MODE = AttributeKey.stringKey("mode");
    public static final AttributeKey<String> PLATFORM = AttributeKey.stringKey("platform");
    public static final AttributeKey<String> COMMAND = AttributeKey.stringKey("command");

    /**
     * Scan errors about one item of a shard that was otherwise read (the item broke the model's schema or could not
     * be normalized): they do not leave a shard unread.
     */
    static final Set<String> ITEM_ERRORS = Set.of("SchemaViolation", "NormalizationFailed");

    /** Audited remediation steps and the plan outcome each counts as (docs/TELEMETRY.md). */
    private static final Map<String, String> PLAN_OUTCOMES = Map.of(
            "remediation.plan/created", "planned",
            "remediation.apply/dry-run", "dry-run",
            "remediation.apply/failed", "failed",
            "remediation.apply/duplicate", "duplicate",
            "remediation.verify/applied-verified", "applied",
            "remediation.verify/verify-failed", "failed",
            "remediation.rollout/halted", "halted",
            "remediation.deny/denied", "denied");

    private final LongCounter resourcesScanned;
    private final LongCounter apiCalls;
    private final LongCounter apiRetries;
    private final LongCounter apiThrottles;
    private final LongCounter shardsUnread;
    private final DoubleHistogram scanDuration;
    private final DoubleHistogram shardDuration;
    private final DoubleHistogram evaluationDuration;
    private final LongCounter findings;
    private final LongCounter remediationPlans;
    private final LongCounter breakerTrips;
    private final LongCounter chatopsRequests;
    private final DoubleHistogram eventLatency;
    /** The open findings of the latest full evaluation; a series seen once stays, at 0 when it has none now. */
    private final Map<Attributes, Long> open = new ConcurrentHashMap<>();

    CloudwardenMetrics(Meter meter) {
        resourcesScanned = meter.counterBuilder(RESOURCES_SCANNED).setUnit("{resource}")
                .setDescription("Resources read by scans (pooled or fanned out)").build();
        apiCalls = meter.counterBuilder(API_CALLS).setUnit("{call}")
                .setDescription("Logical cloud API calls made by scans (SDK retries excluded)").build();
        apiRetries = meter.counterBuilder(API_RETRIES).setUnit("{attempt}")
                .setDescription("Extra attempts the cloud SDKs' retry made").build();
        apiThrottles = meter.counterBuilder(API_THROTTLES).setUnit("{attempt}")
                .setDescription("Attempts the cloud refused as throttled (429, SlowDown, Throttling)").build();
        shardsUnread = meter.counterBuilder(SHARDS_UNREAD).setUnit("{shard}")
                .setDescription("Scopes a scan could not read (failed shard, unopened session, shard missing at"
                        + " the fan-out deadline)").build();
        scanDuration = meter.histogramBuilder(SCAN_DURATION).setUnit("s")
                .setDescription("Duration of a scan, collection to remediation requests").build();
        shardDuration = meter.histogramBuilder(SHARD_DURATION).setUnit("s")
                .setDescription("Duration of reading one shard").build();
        evaluationDuration = meter.histogramBuilder(EVALUATION_DURATION).setUnit("s")
                .setDescription("Duration of evaluating the rules").build();
        findings = meter.counterBuilder(FINDINGS).setUnit("{finding}")
                .setDescription("Findings reported by evaluations (scans and events)").build();
        meter.gaugeBuilder(FINDINGS_OPEN).ofLongs().setUnit("{finding}")
                .setDescription("Findings of the latest full evaluation").buildWithCallback(m -> open.forEach(
                        (attributes, value) -> m.record(value, attributes)));
        remediationPlans = meter.counterBuilder(REMEDIATION_PLANS).setUnit("{plan}")
                .setDescription("Remediation plans by audited outcome: planned, dry-run, applied, failed, halted,"
                        + " denied, duplicate").build();
        breakerTrips = meter.counterBuilder(BREAKER_TRIPS).setUnit("{trip}")
                .setDescription("Times the blast-radius breaker stopped a run's remediation").build();
        chatopsRequests = meter.counterBuilder(CHATOPS_REQUESTS).setUnit("{request}")
                .setDescription("Signed chat requests by command and outcome").build();
        eventLatency = meter.histogramBuilder(EVENT_LATENCY).setUnit("s")
                .setDescription("From a cloud event's time to its findings").build();
    }

    /**
     * A scan's collection: the resources it read (by cloud and type), its API calls (when the snapshot carries
     * statistics: pooled scans; fanned-out shards report theirs with {@link #shardCollected}) and the scopes it could
     * not read ({@code errors}: this scan's errors, including those of sessions that did not open).
     */
    public void scanned(Snapshot scanned, List<ScanError> errors) {
        Map<Attributes, Long> byType = new HashMap<>();
        for (Resource r : scanned.resources()) {
            byType.merge(Attributes.of(CLOUD, r.cloud().id(), TYPE, r.type()), 1L, Long::sum);
        }
        byType.forEach((a, n) -> resourcesScanned.add(n, a));
        if (scanned.statistics() != null) {
            apiCalls(scanned.statistics().calls());
        }
        for (ScanError e : errors) {
            if (!ITEM_ERRORS.contains(e.code())) {
                shardsUnread.add(1, Attributes.of(CLOUD, e.cloud().id(), TYPE, e.type(), CODE, e.code()));
            }
        }
    }

    /** API calls per cloud and service, as the providers count them ({@code CallStatistics}). */
    public void apiCalls(List<ApiCalls> calls) {
        for (ApiCalls c : calls) {
            Attributes a = Attributes.of(CLOUD, c.cloud().id(), SERVICE, c.service());
            if (c.calls() > 0) {
                apiCalls.add(c.calls(), a);
            }
            if (c.retries() > 0) {
                apiRetries.add(c.retries(), a);
            }
            if (c.throttles() > 0) {
                apiThrottles.add(c.throttles(), a);
            }
        }
    }

    /** One shard read (pooled or from the queue): its duration and whether it failed. */
    public void shardCollected(Shard shard, Duration took, boolean failed) {
        shardDuration.record(seconds(took), Attributes.of(CLOUD, shard.cloud().id(), TYPE, shard.type(), OUTCOME,
                failed ? "failed" : "read"));
    }

    /** A whole scan: {@code mode} {@code pooled} (one instance) or {@code fanout} (plan to merge). */
    public void scanFinished(String mode, Duration took) {
        scanDuration.record(seconds(took), Attributes.of(MODE, mode));
    }

    /**
     * An evaluation on {@code path} ({@code scan} or {@code event}): its duration and findings by cloud, severity and
     * rule. A scan's evaluation is the full one: it also replaces the open findings.
     */
    public void evaluated(String path, List<Finding> found, Duration took) {
        evaluationDuration.record(seconds(took), Attributes.of(PATH, path));
        Map<Attributes, Long> byRule = new HashMap<>();
        for (Finding f : found) {
            byRule.merge(Attributes.of(CLOUD, f.resource().cloud().id(), SEVERITY, f.severity().id(), RULE,
                    f.ruleId()), 1L, Long::sum);
        }
        byRule.forEach((a, n) -> findings.add(n, a));
        if ("scan".equals(path)) {
            open.replaceAll((a, n) -> 0L);
            open.putAll(byRule);
        }
    }

    /** Cloud events whose resources were just evaluated: the latency from each event's time to now. */
    public void eventsEvaluated(Cloud cloud, List<Instant> eventTimes, Instant now) {
        for (Instant t : eventTimes) {
            if (!Instant.EPOCH.equals(t) && !t.isAfter(now)) {
                eventLatency.record(seconds(Duration.between(t, now)), Attributes.of(CLOUD, cloud.id()));
            }
        }
    }

    /** Counts what an audit record says was decided (remediation outcomes, breaker trips, chat requests). */
    public void audited(AuditRecord r) {
        String action = r.action();
        String outcome = r.outcome() == null ? "" : r.outcome();
        JsonNode d = r.details();
        String planOutcome = PLAN_OUTCOMES.get(action + "/" + outcome);
        if (planOutcome != null) {
            remediationPlans.add(1, Attributes.of(ACTION, text(d, "action"), OUTCOME, planOutcome));
        }
        if (("remediation.guardrail".equals(action) && "tripped".equals(outcome))
                || ("remediation.rollout".equals(action) && outcome.equals("refused:blast-radius"))) {
            String subject = r.subject() == null ? "" : r.subject();
            String path = action.equals("remediation.rollout") ? "rollout"
                    : subject.contains(":") ? subject.substring(0, subject.indexOf(':')) : "scan";
            breakerTrips.add(1, Attributes.of(PATH, path));
        }
        if (action.startsWith("chatops.")) {
            String platform = text(d, "platform");
            chatopsRequests.add(1, Attributes.of(PLATFORM, platform.isEmpty() ? r.actor().via() : platform,
                    COMMAND, action.substring("chatops.".length()),
                    OUTCOME, outcome.contains(":") ? outcome.substring(0, outcome.indexOf(':')) : outcome));
        }
    }

    private static String text(JsonNode d, String field) {
        return d == null ? "" : d.path(field).asText("");
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
