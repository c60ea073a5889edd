package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.remediation.ApprovalRefusedException;
import io.cloudwarden.engine.remediation.GuardrailTrippedException;
import io.cloudwarden.engine.remediation.PlanOutcome;
import io.cloudwarden.engine.remediation.PlanRecord;
import io.cloudwarden.engine.remediation.PlanStore;
import io.cloudwarden.engine.remediation.rollout.RolloutRecord;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.engine.scan.ScanRuns;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.fanout.RunStatus;
import io.cloudwarden.functions.RemediationService;
import io.cloudwarden.functions.Rollouts;
import io.cloudwarden.functions.ScanOutcome;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationResult;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.Severity;
import io.cloudwarden.model.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs verified chat commands for one person: checks their role, does the work through the core (detector, state
 * repository, remediation service and executor) and answers with a platform-neutral {@link ChatReply}. Every request
 * — done, refused or failed — is appended to the audit chain as {@code chatops.<command>} with the chat identity as
 * actor, the command text and the outcome. Nothing here throws: a failure becomes a polite reply and an
 * {@code error} audit record.
 *
 * <p>Refusals and unknown ids are polite replies (HTTP 200) rather than 403/404, because chat platforms show a
 * non-200 answer as an opaque failure to the user.
 */
public final class ChatOps {
    static final int MAX_PER_GROUP = 15;
    static final int MAX_DRIFT = 20;

    private final Cloudwarden cw;
    private final Detector detector;
    private final RemediationService remediation;
    private final ChatRoles roles;

    public ChatOps(Cloudwarden cw, Detector detector, RemediationService remediation, ChatRoles roles) {
        this.cw = cw;
        this.detector = detector;
        this.remediation = remediation;
        this.roles = roles;
    }

    public ChatRoles roles() {
        return roles;
    }

    /** Checks the role and runs the command. {@code requestId} identifies the chat request (plan keys, audit). */
    public ChatReply handle(ChatIdentity who, ChatCommand cmd, String requestId) {
        return refusal(who, cmd, requestId).orElseGet(() -> execute(who, cmd, requestId));
    }

    /**
     * The polite refusal (audited) when {@code who} lacks the role {@code cmd} needs; empty when allowed. Handlers
     * call this before acknowledging background work, so a refused user never sees "working on it".
     */
    public Optional<ChatReply> refusal(ChatIdentity who, ChatCommand cmd, String requestId) {
        if (cmd.verb() == ChatCommand.Verb.UNKNOWN || roles.allows(who, cmd.verb().role())) {
            return Optional.empty();
        }
        audit(who, cmd, requestId, "chat", "refused:role");
        return Optional.of(ChatReply.text("Sorry " + who.actor().label() + ", `" + cmd.verb().id() + "` needs the "
                + cmd.verb().role().id() + " role, which you do not have. Ask a Cloudwarden admin to add "
                + "`" + who.roleKeys().get(0) + "` to `" + ChatRoles.ROLES_PREFIX + cmd.verb().role().id() + "`."));
    }

    /** Runs an authorised command; every failure becomes a polite reply and an audit record. */
    public ChatReply execute(ChatIdentity who, ChatCommand cmd, String requestId) {
        try {
            return switch (cmd.verb()) {
                case HELP -> done(who, cmd, requestId, "chat", "ok", help("Cloudwarden commands"));
                case UNKNOWN -> done(who, cmd, requestId, "chat", "unknown-command",
                        help("I do not know `" + truncate(cmd.word(), 40) + "`. Here is what I can do"));
                case STATUS -> done(who, cmd, requestId, "chat", "ok", status());
                case FINDINGS -> findings(who, cmd, requestId);
                case EXPLAIN -> explain(who, cmd, requestId);
                case DRIFT -> drift(who, cmd, requestId);
                case CODIFY -> codify(who, cmd, requestId);
                case SCAN -> scan(who, cmd, requestId);
                case REMEDIATE -> remediate(who, cmd, requestId);
                case APPROVE -> approve(who, cmd, requestId);
                case DENY -> deny(who, cmd, requestId);
            };
        } catch (RuntimeException e) {
            audit(who, cmd, requestId, "chat", "error", ModelJson.mapper().createObjectNode()
                    .put("error", e.getClass().getSimpleName()));
            return ChatReply.text("Sorry, `" + cmd.verb().id() + "` could not complete ("
                    + e.getClass().getSimpleName() + "). Nothing was changed by this request; see the logs.");
        }
    }

    // ------------------------------------------------------------------------------------------ commands

    private ChatReply help(String title) {
        List<String> lines = new ArrayList<>();
        for (ChatCommand.Verb v : ChatCommand.Verb.values()) {
            if (v != ChatCommand.Verb.UNKNOWN) {
                lines.add("`" + v.usage() + "` — " + v.description() + " (" + v.role().id() + ")");
            }
        }
        return ChatReply.builder(title + ":").section("", lines).build();
    }

    private ChatReply status() {
        Instant now = cw.clock().instant();
        Optional<Snapshot> latest = cw.repository().latestSnapshot();
        List<ChatReply.Field> fields = new ArrayList<>();
        fields.add(new ChatReply.Field("Latest snapshot", latest.map(s -> s.takenAt().toString()).orElse("none yet")));
        latest.ifPresent(s -> {
            fields.add(new ChatReply.Field("Resources", String.valueOf(s.resources().size())));
            fields.add(new ChatReply.Field("Scan errors", String.valueOf(s.errors().size())));
        });
        List<Finding> findings = detector.latestFindings();
        fields.add(new ChatReply.Field("Findings", findings.isEmpty() ? "0" : countsBySeverity(findings)));
        List<PlanRecord> pending = cw.executor().plans().list().stream()
                .filter(r -> "awaiting-approval".equals(r.status()) && !r.expired(now))
                .sorted(java.util.Comparator.comparing(r -> r.plan().createdAt()))
                .toList();
        fields.add(new ChatReply.Field("Plans awaiting approval", String.valueOf(pending.size())));
        List<RunStatus> open = RunStatus.all(new ScanRuns(cw.repository()), now).stream()
                .filter(r -> !r.finished()).toList();
        ChatReply.Builder b = ChatReply.builder("Cloudwarden status").fields(fields);
        if (!open.isEmpty()) {
            b.section("Scan runs not merged", limited(open.stream().map(r -> "`" + r.run() + "` " + r.state() + ": "
                    + r.collected() + "/" + r.shards() + " shards in, deadline " + r.deadline()).toList(),
                    MAX_PER_GROUP, ""));
        }
        List<String> rollouts = new ArrayList<>();
        pendingRollouts(now).forEach((rid, plans) -> rollouts.add("`" + rid + "` " + plans.size() + " plans of "
                + plans.get(0).action() + " in waves of " + waveSizes(new Rollouts(cw).preview(plans, resources()))
                + " — `approve " + rid + "` approves them all, applied wave by wave"));
        if (!rollouts.isEmpty()) {
            b.section("Rollouts awaiting approval", limited(rollouts, MAX_PER_GROUP, ""));
        }
        if (!pending.isEmpty()) {
            b.section("Awaiting approval", limited(pending.stream().map(r -> "`" + r.plan().id() + "` "
                    + r.plan().summary() + " — requested by " + r.plan().requestedBy().label() + ", expires "
                    + r.plan().expiresAt()).toList(), MAX_PER_GROUP, ""));
        }
        return b.build();
    }

    private ChatReply findings(ChatIdentity who, ChatCommand cmd, String requestId) {
        Set<String> unknown = new TreeSet<>(cmd.options().keySet());
        unknown.removeAll(Set.of("severity", "cloud"));
        if (!unknown.isEmpty() || !cmd.args().isEmpty()) {
            return usage(who, cmd, requestId, "unexpected " + (unknown.isEmpty() ? "argument `"
                    + truncate(cmd.args().get(0), 40) + "`" : "option `--" + truncate(unknown.iterator().next(), 40)
                    + "`"));
        }
        Optional<Severity> minSeverity;
        Optional<Cloud> cloud;
        try {
            minSeverity = cmd.option("severity").map(Severity::of);
            cloud = cmd.option("cloud").map(Cloud::of);
        } catch (IllegalArgumentException e) {
            return usage(who, cmd, requestId, truncate(e.getMessage(), 200));
        }
        Optional<io.cloudwarden.engine.state.StateRepository.FindingsDocument> doc = cw.repository().latestFindings();
        if (doc.isEmpty()) {
            return done(who, cmd, requestId, "chat", "ok", ChatReply.text("No scan has run yet: try `scan` first."));
        }
        List<Finding> selected = doc.get().findings().stream()
                .filter(f -> minSeverity.map(s -> f.severity().atLeast(s)).orElse(true))
                .filter(f -> cloud.map(c -> f.resource().cloud() == c).orElse(true))
                .toList();
        String scope = minSeverity.map(s -> " of severity " + s.id() + " or worse").orElse("")
                + cloud.map(c -> " in " + c.id()).orElse("");
        if (selected.isEmpty()) {
            return done(who, cmd, requestId, "chat", "ok", ChatReply.text("No findings" + scope
                    + " in the scan of " + doc.get().observedAt() + "."));
        }
        ChatReply.Builder b = ChatReply.builder(selected.size() + " finding" + (selected.size() == 1 ? "" : "s")
                + scope + " in the scan of " + doc.get().observedAt());
        Map<Severity, List<Finding>> bySeverity = new EnumMap<>(Severity.class);
        selected.forEach(f -> bySeverity.computeIfAbsent(f.severity(), s -> new ArrayList<>()).add(f));
        bySeverity.forEach((sev, list) -> b.section(sev.name() + " (" + list.size() + ")", limited(list.stream()
                .map(f -> "`" + f.id() + "` " + f.title() + " — `" + f.resource().id() + "`"
                        + (f.status() == Finding.Status.ERROR ? " (could not evaluate)" : ""))
                .toList(), MAX_PER_GROUP, "narrow with --severity or --cloud")));
        b.note("`explain <finding-id>` for details, `remediate <finding-id>` to plan a fix.");
        return done(who, cmd, requestId, "chat", "ok", b.build());
    }

    private ChatReply explain(ChatIdentity who, ChatCommand cmd, String requestId) {
        Optional<String> id = cmd.arg(0);
        if (id.isEmpty()) {
            return usage(who, cmd, requestId, "which finding? give its id, e.g. `explain f-0123456789abcdef`");
        }
        Optional<Finding> found = detector.latestFindings().stream().filter(f -> f.id().equals(id.get()))
                .findFirst();
        if (found.isEmpty()) {
            return notFound(who, cmd, requestId, "finding", id.get());
        }
        Finding f = found.get();
        List<ChatReply.Field> fields = new ArrayList<>(List.of(
                new ChatReply.Field("Rule", f.ruleId()),
                new ChatReply.Field("Severity", f.severity().id()),
                new ChatReply.Field("Status", f.status() == Finding.Status.FAIL ? "fails the rule"
                        : "could not be evaluated"),
                new ChatReply.Field("Resource", f.resource().type() + " " + f.resource().id()),
                new ChatReply.Field("Where", f.resource().cloud().id() + " " + f.resource().account() + " "
                        + f.resource().region()),
                new ChatReply.Field("Observed", f.observedAt().toString())));
        if (!f.controls().isEmpty()) {
            fields.add(new ChatReply.Field("Controls", String.join(", ", f.controls())));
        }
        fields.add(new ChatReply.Field("Remediation", f.remediation().map(r -> r.action() + " ("
                + r.mode().id() + ") — `remediate " + f.id() + "` plans it").orElse("none defined by the rule")));
        ChatReply reply = ChatReply.builder("`" + f.id() + "`: " + f.title())
                .section("", List.of(f.message().isEmpty() ? f.title() : f.message())).fields(fields).build();
        return done(who, cmd, requestId, f.id(), "ok", reply);
    }

    private ChatReply drift(ChatIdentity who, ChatCommand cmd, String requestId) {
        Optional<Cloud> cloud;
        try {
            cloud = cmd.arg(0).map(Cloud::of);
        } catch (IllegalArgumentException e) {
            return usage(who, cmd, requestId, truncate(e.getMessage(), 200));
        }
        Optional<Snapshot> latest = cw.repository().latestSnapshot();
        Optional<Snapshot> previous = cw.repository().previousSnapshot();
        if (latest.isEmpty() || previous.isEmpty()) {
            return done(who, cmd, requestId, "chat", "ok", ChatReply.text("Drift needs two scans to compare; "
                    + (latest.isEmpty() ? "none has" : "only one has") + " run yet."));
        }
        // The latest snapshot keeps the previous copies of scopes its scan could not read: those are not compared.
        DriftReport report = new DriftEngine(cw.clock()).compareSnapshots(filter(previous.get(), cloud),
                filter(latest.get(), cloud), IgnoreRules.none(), Map.of());
        String between = " between " + previous.get().takenAt() + " and " + latest.get().takenAt()
                + cloud.map(c -> " in " + c.id()).orElse("");
        if (!report.hasDrift()) {
            if (report.partial()) {
                ChatReply.Builder b = ChatReply.builder("No changes" + between + " in what was read ("
                        + report.unchanged() + " resources unchanged); " + report.notCompared().size()
                        + " not compared");
                unreadSection(b, report);
                return done(who, cmd, requestId, "chat", "partial", b.build());
            }
            return done(who, cmd, requestId, "chat", "ok", ChatReply.text("No changes" + between + " ("
                    + report.unchanged() + " resources unchanged)."));
        }
        ChatReply.Builder b = ChatReply.builder(report.drift().size() + " change"
                + (report.drift().size() == 1 ? "" : "s") + between + ": "
                + report.ofKind(ResourceDrift.Kind.UNMANAGED).size() + " added, "
                + report.ofKind(ResourceDrift.Kind.MISSING).size() + " removed, "
                + report.ofKind(ResourceDrift.Kind.CHANGED).size() + " changed");
        int shown = 0;
        for (ResourceDrift d : report.drift()) {
            if (shown++ == MAX_DRIFT) {
                b.note("…and " + (report.drift().size() - MAX_DRIFT) + " more (`cloudwarden drift` shows all)");
                break;
            }
            String what = switch (d.kind()) {
                case UNMANAGED -> "added";
                case MISSING -> "removed";
                case CHANGED -> "changed";
            };
            List<String> lines = new ArrayList<>();
            for (AttributeChange c : d.patch()) {
                lines.add("`" + c.path() + "`: " + value(c.from(), "(absent)") + " → "
                        + ("remove".equals(c.op()) ? "(removed)" : value(c.value(), "(absent)")));
            }
            if (d.actor().known()) {
                lines.add("by " + d.actor().label());
            }
            b.section(what + " " + d.resource().type() + " `" + d.resource().id() + "`", limited(lines, MAX_PER_GROUP,
                    ""));
        }
        unreadSection(b, report);
        return done(who, cmd, requestId, "chat", report.partial() ? "partial" : "ok", b.build());
    }

    /**
     * The import block for one resource of the latest snapshot, in its provider's documented import-id form
     * ({@link io.cloudwarden.engine.codify.Codifier}); chat does not know the Terraform states, so it answers for the
     * resource asked about and says so.
     */
    private ChatReply codify(ChatIdentity who, ChatCommand cmd, String requestId) {
        Optional<String> id = cmd.arg(0);
        if (id.isEmpty()) {
            return usage(who, cmd, requestId, "which resource? give its id, e.g. `codify arn:aws:s3:::my-bucket`");
        }
        Optional<io.cloudwarden.model.Resource> found = cw.repository().latestSnapshot().stream()
                .flatMap(s -> s.resources().stream())
                .filter(r -> r.cloud() == Cloud.AZURE ? r.id().equalsIgnoreCase(id.get()) : r.id().equals(id.get()))
                .findFirst();
        if (found.isEmpty()) {
            audit(who, cmd, requestId, truncate(id.get(), 80), "not-found");
            return ChatReply.text("Sorry, the latest snapshot has no resource `" + truncate(id.get(), 120)
                    + "`. Resource ids are in `findings` and `drift`.");
        }
        io.cloudwarden.model.Resource r = found.get();
        var codifier = new io.cloudwarden.engine.codify.Codifier(cw.registry().baselineMappers());
        Optional<io.cloudwarden.engine.spi.TerraformImport> ti = codifier.importOf(r);
        if (ti.isEmpty() || ti.get() instanceof io.cloudwarden.engine.spi.TerraformImport.NotImportable) {
            String why = ti.map(t -> ((io.cloudwarden.engine.spi.TerraformImport.NotImportable) t).reason())
                    .orElse("no Terraform resource type is known for " + r.type() + " on " + r.cloud().id());
            return done(who, cmd, requestId, truncate(r.id(), 80), "not-importable",
                    ChatReply.text("`" + truncate(r.id(), 120) + "` cannot be imported: " + why + "."));
        }
        var importable = (io.cloudwarden.engine.spi.TerraformImport.Importable) ti.get();
        String block = io.cloudwarden.engine.codify.Codifier.block(importable.terraformType() + "."
                + io.cloudwarden.engine.codify.Codifier.name(r), importable.id());
        ChatReply reply = ChatReply.builder("Import block for " + r.type() + " `" + truncate(r.id(), 120) + "`")
                .section("", List.of("```\n" + block + "```"))
                .note("Add it to your configuration, then `terraform plan -generate-config-out=generated.tf`."
                        + " If Terraform already manages this resource, no import is needed.")
                .build();
        return done(who, cmd, requestId, truncate(r.id(), 80), "ok", reply);
    }

    /** Names the unread scopes of a drift report: what is in them was not compared (never "removed"). */
    private static void unreadSection(ChatReply.Builder b, DriftReport report) {
        if (report.partial()) {
            b.section("Not read (" + report.notCompared().size() + " resources not compared)",
                    limited(report.unread().stream().map(e -> "`" + e.scope() + "`"
                            + (e.code().isEmpty() ? "" : ": " + e.code())).toList(), MAX_PER_GROUP, ""));
        }
    }

    private ChatReply scan(ChatIdentity who, ChatCommand cmd, String requestId) {
        Set<Cloud> registered = cw.registry().clouds();
        Set<Cloud> clouds = new LinkedHashSet<>();
        for (String a : cmd.args()) {
            Cloud c;
            try {
                c = Cloud.of(a);
            } catch (IllegalArgumentException e) {
                return usage(who, cmd, requestId, truncate(e.getMessage(), 200));
            }
            if (!registered.contains(c)) {
                return usage(who, cmd, requestId, "cloud `" + c.id() + "` is not configured here (configured: "
                        + registered.stream().map(Cloud::id).sorted().toList() + ")");
            }
            clouds.add(c);
        }
        if (clouds.isEmpty()) {
            clouds.addAll(cw.config().clouds(registered));
        }
        ScanOutcome outcome = detector.scan(new ArrayList<>(clouds), Set.of(), "chat:" + requestId, who.actor(),
                ScanListener.NONE);
        Snapshot s = outcome.snapshot();
        List<Finding> findings = outcome.evaluation().findings();
        ChatReply.Builder b = ChatReply.builder("Scan of " + clouds.stream().map(Cloud::id).toList() + " done: "
                + s.resources().size() + " resources, " + findings.size() + " findings"
                + (s.partial() ? ", " + s.errors().size() + " shards could not be read" : ""))
                .fields(List.of(new ChatReply.Field("Taken at", s.takenAt().toString()),
                        new ChatReply.Field("Findings", findings.isEmpty() ? "0" : countsBySeverity(findings))));
        if (s.partial()) {
            b.section("Could not read", limited(s.errors().stream().map(e -> "`" + e.scope() + "`: " + e.code())
                    .toList(), MAX_PER_GROUP, ""));
        }
        outcome.guardrailTripped().ifPresent(m -> b.note("Remediation stopped by a guardrail: " + m));
        b.note("`findings` lists them.");
        return done(who, cmd, requestId, "chat", s.partial() ? "partial" : "ok", b.build());
    }

    private ChatReply remediate(ChatIdentity who, ChatCommand cmd, String requestId) {
        Optional<String> id = cmd.arg(0);
        if (id.isEmpty()) {
            return usage(who, cmd, requestId, "which finding? e.g. `remediate f-0123456789abcdef`");
        }
        Optional<PlanOutcome> outcome;
        try {
            outcome = remediation.planForFinding(id.get(), who.actor(), "chat:" + requestId);
        } catch (GuardrailTrippedException e) {
            audit(who, cmd, requestId, id.get(), "refused:guardrail");
            return ChatReply.text("Sorry, a guardrail stopped this plan: " + e.getMessage());
        }
        if (outcome.isEmpty()) {
            return notFound(who, cmd, requestId, "finding", id.get());
        }
        if (outcome.get().plan().isEmpty()) {
            return done(who, cmd, requestId, id.get(), "skipped", ChatReply.text("Nothing to plan for `" + id.get()
                    + "`: " + outcome.get().skipped() + "."));
        }
        RemediationPlan plan = outcome.get().plan().get();
        RemediationResult result = cw.executor().submit(plan, cw::session);
        if (!"awaiting-approval".equals(result.status())) {
            return done(who, cmd, requestId, plan.id(), result.status(), ChatReply.text("Plan `" + plan.id()
                    + "`: " + result.message()));
        }
        ChatReply.Builder b = ChatReply.builder(who.actor().label() + " requests a fix for `" + id.get() + "`: plan `"
                + plan.id() + "` awaits approval").inChannel();
        renderPlan(b, plan);
        return done(who, cmd, requestId, plan.id(), "awaiting-approval", b.build());
    }

    private ChatReply approve(ChatIdentity who, ChatCommand cmd, String requestId) {
        Optional<String> id = planId(cmd);
        if (id.isEmpty()) {
            return usage(who, cmd, requestId, "which plan? give its id, e.g. `approve p-0123456789abcdef`");
        }
        if (id.get().startsWith(ROLLOUT_PREFIX)) {
            return approveRollout(who, cmd, requestId, id.get());
        }
        try {
            RemediationResult r = cw.executor().approve(id.get(), who.actor(), cw::session);
            String text = switch (r.status()) {
                case "applied-verified" -> "Approved by " + who.actor().label() + " and applied: " + r.message()
                        + " (verified on a re-read).";
                case "planned" -> "Approved by " + who.actor().label() + ". " + r.message();
                default -> "Approved by " + who.actor().label() + ", but the fix did not go through ("
                        + r.status() + "): " + r.message();
            };
            return done(who, cmd, requestId, id.get(), r.status(), ChatReply.builder(text).inChannel().build());
        } catch (ApprovalRefusedException e) {
            return refusedDecision(who, cmd, requestId, id.get(), e);
        }
    }

    /** Ids of rollouts in chat: {@code approve rollout-…} approves every plan of one. */
    static final String ROLLOUT_PREFIX = "rollout-";

    /**
     * Plans awaiting approval (not expired) grouped by action, for every action with two or more: a rollout each,
     * by {@link Rollouts#idOf} (stable while the same plans wait).
     */
    private Map<String, List<RemediationPlan>> pendingRollouts(Instant now) {
        List<RemediationPlan> waiting = cw.executor().plans().list().stream()
                .filter(r -> "awaiting-approval".equals(r.status()) && !r.expired(now))
                .map(PlanRecord::plan).toList();
        Map<String, List<RemediationPlan>> out = new java.util.LinkedHashMap<>();
        Rollouts.byAction(waiting).forEach((action, plans) -> {
            if (plans.size() > 1) {
                out.put(Rollouts.idOf(action, plans), plans);
            }
        });
        return out;
    }

    private List<io.cloudwarden.model.Resource> resources() {
        return cw.repository().latestSnapshot().map(Snapshot::resources).orElse(List.of());
    }

    private static String waveSizes(List<RolloutRecord.Wave> waves) {
        return String.join(", ", waves.stream().map(w -> String.valueOf(w.items().size())).toList());
    }

    /**
     * {@code approve rollout-…}: the plans of one action awaiting approval, approved together and applied in verified
     * waves (docs/ROLLOUT.md); the reply shows each wave and where the rollout stopped. A halted rollout approved
     * again resumes where it stopped. Refused before anything is applied when any of its plans needs a second person
     * and the approver requested it.
     */
    private ChatReply approveRollout(ChatIdentity who, ChatCommand cmd, String requestId, String id) {
        Instant now = cw.clock().instant();
        Rollouts rollouts = new Rollouts(cw);
        Optional<RolloutRecord> stored = rollouts.stored(id).filter(r -> !r.status().equals("planned"));
        List<RemediationPlan> plans = stored.map(r -> r.waves().stream().flatMap(w -> w.items().stream())
                .map(RolloutRecord.Item::plan).toList()).orElseGet(() -> pendingRollouts(now).get(id));
        if (plans == null) {
            return notFound(who, cmd, requestId, "rollout", id);
        }
        String action = plans.get(0).action();
        if (stored.map(r -> r.status().equals("completed")).orElse(false)) {
            return done(who, cmd, requestId, id, "completed", ChatReply.builder("Rollout `" + id + "` of " + action
                    + " is already completed; nothing was applied again.").section("Waves",
                    stored.get().progressLines()).build());
        }
        List<RemediationPlan> secondPerson = plans.stream().filter(p -> isAwaiting(p.id())
                && cw.executor().guardrails().needsTwoPeople(p) && sameActor(who.actor(), p.requestedBy())).toList();
        if (!secondPerson.isEmpty()) {
            audit(who, cmd, requestId, id, "refused:two-person-rule");
            return ChatReply.text("Sorry " + who.actor().label() + ", rollout `" + id + "` includes "
                    + secondPerson.size() + " plan(s) you requested that need a second person (e.g. `"
                    + secondPerson.get(0).id() + "`): someone other than their requester must approve it. Nothing"
                    + " was applied.");
        }
        if (cw.executor().guardrails().dryRun()) {
            List<RolloutRecord.Wave> waves = rollouts.preview(plans, resources());
            List<String> lines = new ArrayList<>();
            waves.forEach(w -> lines.add("wave " + w.index() + "/" + waves.size() + " (" + w.items().size() + "): "
                    + String.join(", ", w.items().stream().map(i -> i.plan().resource().id()).toList())));
            return done(who, cmd, requestId, id, "dry-run", ChatReply.builder("Rollout `" + id + "` of " + action
                    + ": dry run, nothing was approved or applied (cloudwarden.apply is off). " + plans.size()
                    + " plans in waves of " + waveSizes(waves) + ".").section("Waves", lines).build());
        }
        RolloutRecord r;
        try {
            r = rollouts.runApproved(id, action, plans, resources(), "chat:" + requestId, who.actor(),
                    new io.cloudwarden.engine.remediation.rollout.Rollout.Listener() {
                    });
        } catch (GuardrailTrippedException e) {
            audit(who, cmd, requestId, id, "refused:" + e.guardrail());
            return ChatReply.text("Sorry " + who.actor().label() + ", rollout `" + id + "` was refused by a"
                    + " guardrail before any wave: " + e.getMessage());
        }
        return done(who, cmd, requestId, id, r.status(), rolloutReply(who, r));
    }

    /** The waves of a rollout and where it stands; a halt names the failing resource and the reason. */
    static ChatReply rolloutReply(ChatIdentity who, RolloutRecord r) {
        String head = switch (r.status()) {
            case "completed" -> "Rollout `" + r.id() + "` of " + r.action() + " approved by " + who.actor().label()
                    + ": completed, " + r.verifiedCount() + "/" + r.total() + " resources verified on a re-read.";
            case "halted" -> "Rollout `" + r.id() + "` of " + r.action() + " approved by " + who.actor().label()
                    + ": HALTED in wave " + r.halt().wave() + "/" + r.waves().size() + " at `" + r.halt().resource()
                    + "` — " + r.halt().reason();
            case "waiting-for-window" -> "Rollout `" + r.id() + "` of " + r.action() + " approved by "
                    + who.actor().label() + ": waiting for a maintenance window, next start " + r.nextStart() + ".";
            default -> "Rollout `" + r.id() + "` of " + r.action() + ": " + r.status() + ".";
        };
        ChatReply.Builder b = ChatReply.builder(head).inChannel()
                .fields(List.of(new ChatReply.Field("Waves", waveSizes(r.waves()) + " resources"),
                        new ChatReply.Field("Verified", r.verifiedCount() + "/" + r.total())))
                .section("Waves", waveLines(r));
        if (r.halt() != null) {
            int notApplied = r.total() - r.verifiedCount() - 1;
            b.note("Halted at " + r.halt().resource() + ": " + r.halt().reason() + ". " + notApplied
                    + " resource(s) not applied. `approve " + r.id() + "` again resumes it: verified resources are"
                    + " not applied again, the failed one is tried again.");
        }
        return b.build();
    }

    /** One line per wave (progress), each with its resources and their state. */
    private static List<String> waveLines(RolloutRecord r) {
        List<String> progress = r.progressLines();
        List<String> out = new ArrayList<>();
        for (int w = 0; w < r.waves().size(); w++) {
            out.add(progress.get(w));
            for (RolloutRecord.Item i : r.waves().get(w).items()) {
                String state = switch (i.status()) {
                    case RolloutRecord.Item.VERIFIED -> "verified";
                    case RolloutRecord.Item.FAILED -> "failed";
                    default -> "pending";
                };
                out.add("    " + state + " `" + i.plan().resource().id() + "`");
            }
        }
        return out;
    }

    private boolean isAwaiting(String planId) {
        return cw.executor().plans().find(planId).map(p -> "awaiting-approval".equals(p.status())).orElse(false);
    }

    private static boolean sameActor(Actor a, Actor b) {
        return a.kind().equals(b.kind()) && a.id().equals(b.id()) && a.via().equals(b.via());
    }

    private ChatReply deny(ChatIdentity who, ChatCommand cmd, String requestId) {
        Optional<String> id = planId(cmd);
        if (id.isEmpty()) {
            return usage(who, cmd, requestId, "which plan? give its id, e.g. `deny p-0123456789abcdef`");
        }
        try {
            PlanRecord r = cw.executor().deny(id.get(), who.actor(), "denied in chat by " + who.actor().label());
            return done(who, cmd, requestId, id.get(), "denied", ChatReply.builder("Plan `" + id.get()
                    + "` (" + r.plan().summary() + ") was denied by " + who.actor().label() + ".").inChannel()
                    .build());
        } catch (ApprovalRefusedException e) {
            return refusedDecision(who, cmd, requestId, id.get(), e);
        }
    }

    private ChatReply refusedDecision(ChatIdentity who, ChatCommand cmd, String requestId, String planId,
            ApprovalRefusedException e) {
        if ("unknown-plan".equals(e.reason())) {
            return notFound(who, cmd, requestId, "plan", planId);
        }
        audit(who, cmd, requestId, planId, "refused:" + e.reason());
        String why = switch (e.reason()) {
            case "two-person-rule" -> "this plan needs a second person: someone other than its requester must "
                    + "approve it.";
            case "expired" -> "this plan has expired; run `remediate` again for a fresh one.";
            case "not-awaiting-approval" -> "this plan is no longer awaiting a decision (" + e.getMessage() + ").";
            default -> e.getMessage();
        };
        return ChatReply.text("Sorry " + who.actor().label() + ", " + why);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Optional<String> planId(ChatCommand cmd) {
        return cmd.arg(0);
    }

    private void renderPlan(ChatReply.Builder b, RemediationPlan plan) {
        b.fields(List.of(
                new ChatReply.Field("Resource", plan.resource().type() + " " + plan.resource().id()),
                new ChatReply.Field("Where", plan.resource().cloud().id() + " " + plan.resource().account() + " "
                        + plan.resource().region()),
                new ChatReply.Field("Action", plan.action()),
                new ChatReply.Field("Risk", plan.risk().id()),
                new ChatReply.Field("Requested by", plan.requestedBy().label()),
                new ChatReply.Field("Expires", String.valueOf(plan.expiresAt()))));
        b.section("Change (before → after)", beforeAfter(plan.before(), plan.after()));
        if (cw.executor().guardrails().needsTwoPeople(plan)) {
            b.note("Two-person rule: someone other than " + plan.requestedBy().label() + " must approve.");
        }
        if (cw.executor().guardrails().dryRun()) {
            b.note("Dry run: approving records the decision but applies nothing (cloudwarden.apply is off).");
        }
        b.decision(plan.id(), plan.summary());
    }

    /** One line per attribute the plan touches: {@code `name`: before → after}. */
    static List<String> beforeAfter(JsonNode before, JsonNode after) {
        Set<String> names = new TreeSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        List<String> lines = new ArrayList<>();
        for (String n : names) {
            lines.add("`" + n + "`: " + value(before.get(n), "(absent)") + " → " + value(after.get(n), "(absent)"));
        }
        return lines.isEmpty() ? List.of("(no attribute changes described)") : lines;
    }

    private static String value(JsonNode v, String absent) {
        if (v == null || v.isMissingNode()) {
            return absent;
        }
        return truncate(v.toString(), 200);
    }

    private static Snapshot filter(Snapshot s, Optional<Cloud> cloud) {
        return cloud.map(c -> Snapshot.of(s.takenAt(), s.resources().stream().filter(r -> r.cloud() == c).toList(),
                s.errors().stream().filter(e -> e.cloud() == c).toList())).orElse(s);
    }

    private static String countsBySeverity(List<Finding> findings) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((s, n) -> parts.add(n + " " + s.id()));
        return String.join(", ", parts);
    }

    private static List<String> limited(List<String> lines, int max, String hint) {
        if (lines.size() <= max) {
            return lines;
        }
        List<String> out = new ArrayList<>(lines.subList(0, max));
        out.add("…and " + (lines.size() - max) + " more" + (hint.isEmpty() ? "" : " (" + hint + ")"));
        return out;
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private ChatReply usage(ChatIdentity who, ChatCommand cmd, String requestId, String problem) {
        audit(who, cmd, requestId, "chat", "invalid");
        return ChatReply.text("Sorry, " + problem + ". Usage: `" + cmd.verb().usage() + "`.");
    }

    private ChatReply notFound(ChatIdentity who, ChatCommand cmd, String requestId, String what, String id) {
        audit(who, cmd, requestId, truncate(id, 80), "not-found");
        String hint = what.equals("plan") ? "`status` lists the plans awaiting approval."
                : what.equals("rollout") ? "`status` lists the rollouts awaiting approval (the plans of one action"
                        + " awaiting approval; their rollout id changes when one of them is decided)."
                : "`findings` lists the findings of the last scan.";
        return ChatReply.text("Sorry, there is no " + what + " `" + truncate(id, 80) + "`"
                + (what.equals("plan") && !PlanStore.validId(id) ? " (plan ids look like p-0123456789abcdef)" : "")
                + ". " + hint);
    }

    private ChatReply done(ChatIdentity who, ChatCommand cmd, String requestId, String subject, String outcome,
            ChatReply reply) {
        audit(who, cmd, requestId, subject, outcome);
        return reply;
    }

    private void audit(ChatIdentity who, ChatCommand cmd, String requestId, String subject, String outcome) {
        audit(who, cmd, requestId, subject, outcome, ModelJson.mapper().createObjectNode());
    }

    /**
     * A correctly signed request that could not be parsed (400): recorded with an anonymous chat actor, since the
     * identity is part of what could not be read.
     */
    public void auditInvalidRequest(String platform, String problem) {
        cw.audit().append(new Actor("chat", "", "", platform), "chatops.request", "chat", "invalid",
                ModelJson.mapper().createObjectNode().put("platform", platform).put("problem",
                        truncate(problem, 300)));
    }

    /** One audit record per request: identity as actor, command text, channel and request id; never credentials. */
    void audit(ChatIdentity who, ChatCommand cmd, String requestId, String subject, String outcome,
            ObjectNode details) {
        details.put("platform", who.platform()).put("channel", who.channel()).put("command",
                truncate(cmd.text(), 500)).put("request", requestId);
        Actor actor = who.actor();
        cw.audit().append(actor, "chatops." + cmd.verb().id(), subject, outcome, details);
    }
}
