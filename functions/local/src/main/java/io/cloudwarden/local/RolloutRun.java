package io.cloudwarden.local;

import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.remediation.rollout.Rollout;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationService;
import io.cloudwarden.functions.Rollouts;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How {@code remediate} and {@code sandbox} apply planned fixes (the operator's approval): an action planned for two
 * or more resources is rolled out in verified waves ({@link Rollouts}, docs/ROLLOUT.md); an action planned once is
 * applied on its own. A dry run shows the waves each rollout would cut and applies nothing.
 *
 * @param results one result per plan, in the order of the planned outcomes
 * @param rollouts the rollouts run (empty on a dry run)
 * @param report the waves (dry run) or each rollout's status and progress lines, ready to print
 */
record RolloutRun(List<RemediationResult> results, List<RolloutRecord> rollouts, String report) {

    /**
     * Applies (or, when {@code apply} is false, previews) {@code outcomes}' plans as {@code trigger};
     * {@code resources} give the tags the maintenance windows read. {@code progress} sees each single plan applied.
     */
    static RolloutRun of(Cloudwarden cw, List<PlanOutcome> outcomes, List<Resource> resources, String trigger,
            boolean apply, Output.Progress progress) {
        Rollouts rollouts = new Rollouts(cw);
        Map<String, RemediationResult> rolledOut = new HashMap<>();
        List<RolloutRecord> records = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        Map<String, List<RemediationPlan>> byAction = Rollouts.byAction(outcomes.stream()
                .flatMap(o -> o.plan().stream()).toList());
        for (Map.Entry<String, List<RemediationPlan>> e : byAction.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            if (!apply) {
                report.append(preview(rollouts, e.getKey(), e.getValue(), resources));
                continue;
            }
            RolloutRecord record = rollouts.run(e.getKey(), e.getValue(), resources, trigger, LocalActor.current(),
                    new Rollout.Listener() {
                    });
            records.add(record);
            report.append(progressReport(record));
            for (RolloutRecord.Wave w : record.waves()) {
                for (RolloutRecord.Item i : w.items()) {
                    RemediationPlan p = i.plan();
                    String status = switch (i.status()) {
                        case RolloutRecord.Item.VERIFIED -> i.message().startsWith("already-compliant")
                                ? "already-compliant" : "applied-verified";
                        case RolloutRecord.Item.FAILED -> i.message().startsWith("failed") ? "failed"
                                : "verify-failed";
                        default -> "not-applied";
                    };
                    String message = i.status().equals(RolloutRecord.Item.PENDING) ? "not applied: rollout "
                            + record.status() + " before wave " + w.index() : i.message();
                    rolledOut.put(p.id(), new RemediationResult(p.id(), p.key(), p.action(), p.resource(), status,
                            message, false, cw.clock().instant()));
                }
            }
        }
        RemediationService service = new RemediationService(cw);
        List<RemediationResult> results = new ArrayList<>();
        int planned = (int) outcomes.stream().filter(o -> o.plan().isPresent()).count();
        for (PlanOutcome o : outcomes) {
            if (o.plan().isEmpty()) {
                continue;
            }
            RemediationPlan p = o.plan().get();
            if (rolledOut.containsKey(p.id())) {
                results.add(rolledOut.get(p.id()));
            } else {
                if (apply) {
                    progress.step("applying fixes", results.size(), planned);
                }
                RemediationPlan auto = new RemediationPlan(p.id(), p.key(), p.action(), p.risk(),
                        RemediationRef.Mode.AUTO, p.resource(), p.findingId(), p.summary(), p.before(), p.after(),
                        p.params(), p.requestedBy(), p.createdAt(), p.expiresAt());
                results.add(service.handle(new RemediationRequest(auto, trigger)));
            }
        }
        progress.clear();
        return new RolloutRun(List.copyOf(results), List.copyOf(records), report.toString());
    }

    /** The waves of every action planned for two or more resources (a dry run: nothing stored, nothing applied). */
    static String preview(Cloudwarden cw, List<PlanOutcome> outcomes, List<Resource> resources) {
        Rollouts rollouts = new Rollouts(cw);
        StringBuilder report = new StringBuilder();
        Rollouts.byAction(outcomes.stream().flatMap(o -> o.plan().stream()).toList()).forEach((action, plans) -> {
            if (plans.size() > 1) {
                report.append(preview(rollouts, action, plans, resources));
            }
        });
        return report.toString();
    }

    private static String preview(Rollouts rollouts, String action, List<RemediationPlan> plans,
            List<Resource> resources) {
        List<RolloutRecord.Wave> waves = rollouts.preview(plans, resources);
        StringBuilder report = new StringBuilder();
        report.append("Waves of ").append(action).append(" (").append(plans.size()).append(" resources, ")
                .append(waves.size()).append(" waves):\n");
        for (RolloutRecord.Wave w : waves) {
            report.append("  wave ").append(w.index()).append(" (").append(w.items().size()).append("): ")
                    .append(w.items().stream().map(i -> i.plan().resource().id()).collect(Collectors.joining(", ")))
                    .append("\n");
        }
        return report.toString();
    }

    /**
     * A rollout's status, one progress line per wave, and where it halted:
     * {@code Rollout <id> of <action>: halted (3 waves: 1, 2, 4 resources)}.
     */
    static String progressReport(RolloutRecord record) {
        StringBuilder b = new StringBuilder();
        b.append("Rollout ").append(record.id()).append(" of ").append(record.action()).append(": ")
                .append(record.status()).append(" (").append(record.waves().size()).append(" waves: ")
                .append(record.waves().stream().map(w -> String.valueOf(w.items().size()))
                        .collect(Collectors.joining(", "))).append(" resources)")
                .append(record.nextStart() == null ? "" : " (next start " + record.nextStart() + ")").append("\n");
        record.progressLines().forEach(l -> b.append("  ").append(l).append("\n"));
        if (record.halt() != null) {
            int notApplied = record.total() - record.verifiedCount() - 1;
            b.append("  HALTED at ").append(record.halt().resource()).append(": ").append(record.halt().reason())
                    .append("\n  ").append(notApplied).append(notApplied == 1 ? " resource" : " resources")
                    .append(" not applied; run the same fix again to resume (verified resources are not applied"
                            + " again)\n");
        }
        return b.toString();
    }
}
