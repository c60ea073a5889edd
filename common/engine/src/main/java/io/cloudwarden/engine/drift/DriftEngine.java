package io.cloudwarden.engine.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.Snapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compares an observed snapshot with what was expected: a baseline (Terraform state mapped by the providers, or an
 * approved snapshot) or the previous snapshot.
 *
 * <p>Resources are matched by {@link Resource#matchKey()} (cloud, type, id; Azure ids case-insensitive) in a hash
 * map. Attribute trees are compared with {@code equals} first; only resources that differ are diffed with
 * zjsonpatch (without MOVE/COPY operations, so every op names a path and a plain value). Each
 * {@link AttributeChange#from()} is the expected value at the op's path (the replaced or removed value; a null node
 * for {@code add}).
 *
 * <p><b>Baseline pruning.</b> A baseline only knows what its source manages: a Terraform state has no
 * {@code lastUsedAt}, and an approved snapshot may have been trimmed by hand. In baseline mode the observed
 * attributes are therefore pruned to the baseline's key set before comparing, recursively for objects; arrays are
 * compared whole (a rule list is one unit). A key the baseline has and the observation lacks is a {@code remove}.
 *
 * <p><b>Tags.</b> Tags are not part of {@code attributes}, but a tag change is drift. Tag differences are reported
 * in the same patch as ops on {@code /tags/<key>} (key escaped per RFC 6901), after the attribute ops. In baseline
 * mode tags are compared only when the baseline resource has tags (a state without tags does not manage them);
 * then the whole tag map is compared (a tag added outside the baseline is drift). In snapshot mode they always are.
 *
 * <p><b>Ignore rules.</b> Resources matching a resource pattern are left out of the comparison and counted in
 * {@code ignored} (each resource once); patch ops on ignored paths are dropped, and a changed resource whose every
 * op was dropped counts as unchanged.
 *
 * <p><b>Partial scans.</b> An expected resource that was not observed because its scope could not be read (a
 * {@link ScanError} in the observed snapshot {@linkplain ScanError#covers covers} it: the one rule for every consumer,
 * under which a GLOBAL or account-wide shard covers every region) is not reported as missing/removed — that would be
 * a false alarm — but as a {@link NotCompared} with the scope and error code. Symmetrically, in snapshot mode a
 * resource whose scope the older snapshot had not read is not reported as added. A resource the observed snapshot
 * holds inside one of its own unread scopes was not read by that scan (the scan use case keeps the previous copy so
 * the latest snapshot stays whole; a shard with one unreadable item keeps its other items): it is not compared
 * either. The report's {@link DriftReport#unread()} lists the unread scopes of both sides.
 *
 * <p><b>Members of scaling groups.</b> The instances an Auto Scaling group, a scale set or a managed instance group
 * launches are made by the group, never by Terraform: Terraform declares the group (its size, its template), and
 * declaring a member as {@code aws_instance} would have Terraform fight the group. So in baseline mode an observed
 * {@code compute.instance} whose {@code group} names a {@code compute.group} and that the baseline does not hold is
 * not reported {@code unmanaged}: it is listed in {@code notCompared} (source {@value #GROUP_MEMBERS_SOURCE}) naming
 * its group, and what is compared is the group (its drift covers the members). This holds whether the baseline holds
 * the group (the members are managed through it) or not (the group itself is then reported {@code unmanaged}, and
 * {@code codify} imports the group, not its members), on every cloud alike ({@code group} is set from the
 * {@code aws:autoscaling:groupName} tag, from {@code properties.virtualMachineScaleSet.id}, and from the managed
 * instance groups' {@code listManagedInstances}; docs/MODEL.md). An instance the baseline does declare is compared as usual. In snapshot mode a new member is an
 * addition like any other: a scale-out is a change between two scans.
 *
 * <p>Results are sorted by (kind, cloud, type, id) so reports are stable and diffable.
 */
public final class DriftEngine {
    private static final EnumSet<DiffFlags> DIFF_FLAGS = EnumSet.of(
            DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.ADD_ORIGINAL_VALUE_ON_REPLACE);
    /** {@link NotCompared#source()} of resources left uncompared because their shard was not read. */
    public static final String SCAN_ERRORS_SOURCE = "observed snapshot errors";
    /** {@link NotCompared#source()} of new resources whose shard the older snapshot had not read. */
    public static final String PREVIOUS_ERRORS_SOURCE = "older snapshot errors";
    /** {@link NotCompared#source()} of group members left to their group (see the class comment). */
    public static final String GROUP_MEMBERS_SOURCE = "group members";
    private static final JsonNode NULL = JsonNodeFactory.instance.nullNode();
    private static final Comparator<ResourceDrift> ORDER = Comparator
            .comparing((ResourceDrift d) -> d.kind())
            .thenComparing(d -> d.resource().cloud())
            .thenComparing(d -> d.resource().type())
            .thenComparing(d -> d.resource().id());

    private final Clock clock;

    public DriftEngine() {
        this(Clock.systemUTC());
    }

    public DriftEngine(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Drift of {@code observed} against a baseline; {@code notCompared} (from the baseline loader) is carried over. */
    public DriftReport compareToBaseline(List<Resource> expected, Snapshot observed, IgnoreRules ignore,
            List<NotCompared> notCompared) {
        return compare("baseline", expected, List.of(), observed, ignore, Map.of(), notCompared, true);
    }

    /** What was added, removed or changed from {@code older} to {@code newer}, with the actor when an event named one. */
    public DriftReport compareSnapshots(Snapshot older, Snapshot newer, IgnoreRules ignore,
            Map<String, Actor> actorsByMatchKey) {
        return compare("snapshot", older.resources(), older.errors(), newer, ignore, actorsByMatchKey, List.of(),
                false);
    }

    private DriftReport compare(String mode, List<Resource> expected, List<ScanError> expectedErrors,
            Snapshot observedSnapshot, IgnoreRules ignore,
            Map<String, Actor> actors, List<NotCompared> carriedNotCompared, boolean baseline) {
        Comparison c = new Comparison(mode, expected, expectedErrors, ignore, actors, carriedNotCompared, baseline);
        for (Resource obs : observedSnapshot.resources()) {
            c.observe(obs, observedSnapshot.errors());
        }
        return c.report(observedSnapshot.errors());
    }

    /**
     * Starts a comparison against a baseline that is fed the observed resources one at a time, as a snapshot file
     * streams in, so the observed side is never held whole (with both sides of a 100,000-resource drift in memory,
     * half its CPU went to the garbage collector). {@link Streamed#finish} gives the report
     * {@link #compareToBaseline} would give for the same resources in the same order — unless the observed
     * snapshot has scan errors: whether a resource lies in an unread scope is only known once the errors are read,
     * and a snapshot lists them after its resources, so then {@code finish} gives nothing and the caller compares
     * the whole snapshot with {@link #compareToBaseline} instead.
     */
    public Streamed streamAgainstBaseline(List<Resource> expected, IgnoreRules ignore, List<NotCompared> notCompared) {
        return new Streamed(new Comparison("baseline", expected, List.of(), ignore, Map.of(), notCompared, true));
    }

    /** A baseline comparison fed observed resources one by one; see {@link #streamAgainstBaseline}. Not thread-safe. */
    public static final class Streamed implements java.util.function.Consumer<Resource> {
        private final Comparison comparison;

        private Streamed(Comparison comparison) {
            this.comparison = comparison;
        }

        @Override
        public void accept(Resource observed) {
            comparison.observe(observed, List.of());
        }

        /**
         * The drift report, once every observed resource was handed over; empty when {@code observedErrors} is not
         * (compare the whole snapshot then).
         */
        public Optional<DriftReport> finish(List<ScanError> observedErrors) {
            return observedErrors.isEmpty() ? Optional.of(comparison.report(List.of())) : Optional.empty();
        }
    }

    /** One comparison's state, fed observed resources in snapshot order. */
    private final class Comparison {
        private final String mode;
        private final List<ScanError> expectedErrors;
        private final IgnoreRules rules;
        private final Map<String, Actor> actorMap;
        private final boolean baseline;
        private final List<NotCompared> notCompared;
        private final java.util.Set<String> ignoredKeys = new java.util.HashSet<>();
        private final Map<String, Resource> expectedByKey;
        /** Match keys of the baseline's {@code compute.group}s, kept while expectedByKey empties. */
        private final java.util.Set<String> expectedGroups = new java.util.HashSet<>();
        private final List<ResourceDrift> drift = new ArrayList<>();
        private final java.util.Set<String> seen = new java.util.HashSet<>();
        private int managed;
        private int unchanged;

        Comparison(String mode, List<Resource> expected, List<ScanError> expectedErrors, IgnoreRules ignore,
                Map<String, Actor> actors, List<NotCompared> carriedNotCompared, boolean baseline) {
            this.mode = mode;
            this.expectedErrors = expectedErrors;
            this.baseline = baseline;
            this.notCompared = new ArrayList<>(carriedNotCompared == null ? List.of() : carriedNotCompared);
            this.rules = ignore == null ? IgnoreRules.none() : ignore;
            this.actorMap = actors == null ? Map.of() : actors;
            this.expectedByKey = new HashMap<>(expected.size() * 2);
            for (Resource r : expected) {
                if (rules.ignoresResource(r.cloud(), r.type(), r.id())) {
                    ignoredKeys.add(r.matchKey());
                } else {
                    expectedByKey.putIfAbsent(r.matchKey(), r);
                }
                if (io.cloudwarden.model.Attributes.ComputeGroup.TYPE.equals(r.type())) {
                    expectedGroups.add(r.matchKey());
                }
            }
        }

        void observe(Resource obs, List<ScanError> observedErrors) {
            String key = obs.matchKey();
            if (!seen.add(key)) {
                return;
            }
            Optional<ScanError> unreadNow = unreadShard(obs, observedErrors);
            if (unreadNow.isPresent()) {
                // Inside one of the observed snapshot's own unread scopes: not an observation of this scan but a
                // copy kept from an earlier one (the scan use case keeps them so the latest snapshot stays whole).
                expectedByKey.remove(key);
                if (rules.ignoresResource(obs.cloud(), obs.type(), obs.id())) {
                    ignoredKeys.add(key);
                } else {
                    notCompared.add(new NotCompared(SCAN_ERRORS_SOURCE, obs.cloud().id() + ":" + obs.type() + ":"
                            + obs.id(), describeUnread(unreadNow.get()) + "; the copy in the snapshot is from an"
                            + " earlier scan"));
                }
                return;
            }
            Resource exp = expectedByKey.remove(key);
            if (exp == null) {
                Optional<ScanError> unreadBefore = unreadShard(obs, expectedErrors);
                if (rules.ignoresResource(obs.cloud(), obs.type(), obs.id())) {
                    ignoredKeys.add(key);
                } else if (unreadBefore.isPresent()) {
                    notCompared.add(new NotCompared(PREVIOUS_ERRORS_SOURCE,
                            obs.cloud().id() + ":" + obs.type() + ":" + obs.id(),
                            describeUnread(unreadBefore.get()).replace("not observed:", "not in the older snapshot:")));
                } else if (baseline && groupOf(obs).isPresent()) {
                    String group = groupOf(obs).get();
                    boolean groupManaged = expectedGroups.contains(io.cloudwarden.model.ResourceRef.matchKey(
                            obs.cloud(), io.cloudwarden.model.Attributes.ComputeGroup.TYPE, group));
                    notCompared.add(new NotCompared(GROUP_MEMBERS_SOURCE,
                            obs.cloud().id() + ":" + obs.type() + ":" + obs.id(),
                            "launched by compute.group " + group + (groupManaged
                                    ? ", which the baseline manages: the group is compared, not its members"
                                    : ", which the baseline does not hold (reported unmanaged): the group is what"
                                            + " to manage, not its members")));
                } else {
                    drift.add(new ResourceDrift(ResourceDrift.Kind.UNMANAGED, obs.ref(), List.of(),
                            actorMap.getOrDefault(key, Actor.UNKNOWN)));
                }
                return;
            }
            managed++;
            List<AttributeChange> patch = diff(exp, obs, baseline, rules);
            if (patch.isEmpty()) {
                unchanged++;
            } else {
                drift.add(new ResourceDrift(ResourceDrift.Kind.CHANGED, obs.ref(), patch,
                        actorMap.getOrDefault(key, Actor.UNKNOWN)));
            }
        }

        DriftReport report(List<ScanError> observedErrors) {
            List<Resource> unseen = new ArrayList<>(expectedByKey.values());
            unseen.sort(Comparator.comparing(Resource::cloud).thenComparing(Resource::type)
                    .thenComparing(Resource::id));
            for (Resource r : unseen) {
                Optional<ScanError> unread = unreadShard(r, observedErrors);
                if (unread.isPresent()) {
                    notCompared.add(new NotCompared(SCAN_ERRORS_SOURCE, r.cloud().id() + ":" + r.type() + ":"
                            + r.id(), describeUnread(unread.get())));
                } else {
                    drift.add(new ResourceDrift(ResourceDrift.Kind.MISSING, r.ref(), List.of(),
                            actorMap.getOrDefault(r.matchKey(), Actor.UNKNOWN)));
                }
            }
            drift.sort(ORDER);
            List<ScanError> unread = new ArrayList<>(observedErrors);
            expectedErrors.stream().filter(e -> !unread.contains(e)).forEach(unread::add);
            return new DriftReport(DriftReport.SCHEMA_V1, mode, clock.instant(), managed, unchanged, drift,
                    notCompared, ignoredKeys.size(), unread);
        }
    }

    /** The {@code compute.group} id a {@code compute.instance} names in {@code group}, if any. */
    private static Optional<String> groupOf(Resource r) {
        if (!io.cloudwarden.model.Attributes.ComputeInstance.TYPE.equals(r.type())) {
            return Optional.empty();
        }
        JsonNode g = r.attributes().get(io.cloudwarden.model.Attributes.ComputeInstance.GROUP);
        return g != null && g.isTextual() && !g.asText().isEmpty() ? Optional.of(g.asText()) : Optional.empty();
    }

    /** The scan error whose unread scope covers {@code r}, if any (see {@link ScanError#covers}). */
    private static Optional<ScanError> unreadShard(Resource r, List<ScanError> errors) {
        return ScanError.covering(errors, r);
    }

    private static String describeUnread(ScanError e) {
        StringBuilder sb = new StringBuilder("not observed: the ").append(e.scope())
                .append(" shard could not be read");
        if (!e.code().isEmpty()) {
            sb.append(" (").append(e.code()).append(')');
        }
        return sb.toString();
    }

    /**
     * Attributes that are measurements, not configuration: they change on every scan (CPU utilization over a moving
     * window), so comparing them would report every instance as changed. They are never drift; rules judge them.
     */
    static final Map<String, java.util.Set<String>> MEASUREMENTS = Map.of(
            io.cloudwarden.model.Attributes.ComputeInstance.TYPE,
            java.util.Set.of(io.cloudwarden.model.Attributes.ComputeInstance.UTILIZATION),
            io.cloudwarden.model.Attributes.ComputeGroup.TYPE,
            java.util.Set.of(io.cloudwarden.model.Attributes.ComputeGroup.UTILIZATION));

    private static ObjectNode withoutMeasurements(String type, ObjectNode attrs) {
        java.util.Set<String> measured = MEASUREMENTS.getOrDefault(type, java.util.Set.of());
        if (measured.stream().noneMatch(attrs::has)) {
            return attrs;
        }
        ObjectNode copy = attrs.deepCopy();
        copy.remove(measured);
        return copy;
    }

    private static List<AttributeChange> diff(Resource exp, Resource obs, boolean baseline, IgnoreRules rules) {
        List<AttributeChange> changes = new ArrayList<>();
        ObjectNode expAttrs = withoutMeasurements(exp.type(), exp.attributes());
        ObjectNode obsAttrs = withoutMeasurements(obs.type(), obs.attributes());
        boolean same = baseline ? coveredEquals(expAttrs, obsAttrs) : expAttrs.equals(obsAttrs);
        if (!same) {
            JsonNode target = baseline ? prune(expAttrs, obsAttrs) : obsAttrs;
            for (JsonNode op : JsonDiff.asJson(expAttrs, target, DIFF_FLAGS)) {
                String opName = op.path("op").asText();
                String path = op.path("path").asText();
                if (rules.ignoresPath(exp.type(), path)) {
                    continue;
                }
                JsonNode from = switch (opName) {
                    case "replace" -> op.has("fromValue") ? op.get("fromValue") : expAttrs.at(path);
                    case "remove" -> op.has("value") ? op.get("value") : expAttrs.at(path);
                    default -> NULL;
                };
                JsonNode value = "remove".equals(opName) ? NULL : op.path("value");
                changes.add(new AttributeChange(opName, path, value, from.isMissingNode() ? NULL : from));
            }
        }
        boolean compareTags = !baseline || !exp.tags().isEmpty();
        if (compareTags && !exp.tags().equals(obs.tags())) {
            TreeSet<String> keys = new TreeSet<>(exp.tags().keySet());
            keys.addAll(obs.tags().keySet());
            for (String k : keys) {
                String before = exp.tags().get(k);
                String after = obs.tags().get(k);
                if (Objects.equals(before, after)) {
                    continue;
                }
                String path = "/tags/" + k.replace("~", "~0").replace("/", "~1");
                if (rules.ignoresPath(exp.type(), path)) {
                    continue;
                }
                JsonNodeFactory f = JsonNodeFactory.instance;
                if (before == null) {
                    changes.add(new AttributeChange("add", path, f.textNode(after), NULL));
                } else if (after == null) {
                    changes.add(new AttributeChange("remove", path, NULL, f.textNode(before)));
                } else {
                    changes.add(new AttributeChange("replace", path, f.textNode(after), f.textNode(before)));
                }
            }
        }
        return changes;
    }

    /**
     * True when every key of {@code expected} (recursively for objects) has an equal value in {@code observed}:
     * the allocation-free fast path of "prune, then equals".
     */
    static boolean coveredEquals(JsonNode expected, JsonNode observed) {
        if (expected.isObject()) {
            if (!observed.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode o = observed.get(e.getKey());
                if (o == null || !coveredEquals(e.getValue(), o)) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(observed);
    }

    /** {@code observed} restricted to the keys of {@code expected}, recursively for objects; arrays whole. */
    static JsonNode prune(JsonNode expected, JsonNode observed) {
        if (!expected.isObject() || !observed.isObject()) {
            return observed;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode o = observed.get(e.getKey());
            if (o != null) {
                out.set(e.getKey(), prune(e.getValue(), o));
            }
        }
        return out;
    }
}
