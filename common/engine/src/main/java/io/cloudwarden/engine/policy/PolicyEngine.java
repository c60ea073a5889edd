package io.cloudwarden.engine.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Evaluates CEL rules against normalized resources.
 *
 * <p>Every condition is parsed, type-checked and planned once, at construction; a condition that does not compile,
 * or whose type is neither {@code bool} nor {@code dyn}, is rejected with a {@link PolicyValidationException}.
 * ({@code dyn} is accepted because field selection on JSON is dynamic: {@code resource.attributes.versioning} is
 * {@code dyn} although it holds a bool; a non-bool value at run time becomes an ERROR finding.)
 *
 * <p>Per resource the model JSON is converted to CEL values once and shared by every applicable rule. A rule that
 * fails to evaluate on one resource (a missing key, a type mismatch) yields an {@code ERROR} finding carrying CEL's
 * message; evaluation continues with the next rule and resource. Instances are immutable and thread-safe.
 */
public final class PolicyEngine {
    /** Tag that exempts a resource: value {@code true} (all rules) or a comma-separated list of rule ids. */
    public static final String EXEMPT_TAG = "cloudwarden:exempt";

    /** One CEL environment for all rules: {@code resource} is {@code map(string, dyn)}, standard macros on. */
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current()
                    .enableHeterogeneousNumericComparisons(true)
                    .comprehensionMaxIterations(100_000)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("resource", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("now", SimpleType.TIMESTAMP)
            .build();

    private static final int MAX_VALUE_IN_MESSAGE = 80;
    private static final Pattern ATTRIBUTE_REF =
            Pattern.compile("resource\\.attributes\\.([A-Za-z_][A-Za-z0-9_]*)");

    private final List<Rule> rules;
    private final Map<String, List<Rule>> rulesByType;
    private final Map<String, Compiled> compiledRules = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<Compiled>> compiledByType = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;

    private record Compiled(Rule rule, CelRuntime.Program program, List<String> attributes) {
    }

    public PolicyEngine(List<Rule> rules) {
        this(rules, Clock.systemUTC());
    }

    /**
     * @param clock gives {@code now} (a CEL timestamp) to conditions such as
     *     {@code now - timestamp(resource.attributes.lastUsedAt) <= duration('2160h')}; read once per
     *     {@link #evaluate} / {@link #evaluateAll} call so that every rule of a run sees the same instant.
     */
    public PolicyEngine(List<Rule> rules, Clock clock) {
        this(rules, clock, false);
    }

    private PolicyEngine(List<Rule> rules, Clock clock, boolean lazy) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = List.copyOf(rules);
        Map<String, String> ids = new HashMap<>();
        Map<String, List<Rule>> index = new LinkedHashMap<>();
        for (Rule r : this.rules) {
            String previous = ids.putIfAbsent(r.id(), r.source());
            if (previous != null) {
                throw new PolicyValidationException(r.source(), r.id(),
                        "duplicate rule id, already defined in " + previous);
            }
            if (!lazy) {
                compiled(r); // in rule order: the first invalid rule is the one reported
            }
            for (String type : r.resourceTypes()) {
                index.computeIfAbsent(type, t -> new ArrayList<>()).add(r);
            }
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        this.rulesByType = Map.copyOf(index);
        if (!lazy) {
            for (String type : rulesByType.keySet()) {
                applicable(type);
            }
        }
    }

    /**
     * An engine that compiles a type's rules when the first resource of that type is evaluated, so a snapshot of
     * two types does not pay for compiling the rules of six. Results are identical to the eager constructor's:
     * every program comes from the same CEL environment and each rule is compiled once. The price is that an
     * invalid condition is reported only when a resource of its type shows up, so use it for rule sets already
     * known to compile (the built-in pack, which its tests compile whole); user rule files go through the eager
     * constructor, which rejects a bad rule before any resource is read.
     */
    public static PolicyEngine lazy(List<Rule> rules, Clock clock) {
        return new PolicyEngine(rules, clock, true);
    }

    private Compiled compiled(Rule r) {
        return compiledRules.computeIfAbsent(r.id(), id -> new Compiled(r, compile(r),
                referencedAttributes(r.condition())));
    }

    private List<Compiled> applicable(String type) {
        List<Compiled> found = compiledByType.get(type);
        if (found == null) {
            List<Rule> typeRules = rulesByType.get(type);
            if (typeRules == null) {
                return List.of();
            }
            found = compiledByType.computeIfAbsent(type,
                    t -> typeRules.stream().map(this::compiled).toList());
        }
        return found;
    }

    /** An engine over the built-in rule pack. */
    public static PolicyEngine builtIn() {
        return new PolicyEngine(PolicyLoader.builtIn());
    }

    /** Compiles one condition as the engine would; throws {@link PolicyValidationException} when invalid. */
    public static void validate(Rule rule) {
        compile(rule);
    }

    private static CelRuntime.Program compile(Rule rule) {
        CelValidationResult result = CEL.compile(rule.condition(), rule.id());
        if (result.hasError()) {
            throw new PolicyValidationException(rule.source(), rule.id(),
                    "invalid CEL condition: " + firstLines(result.getErrorString()));
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new PolicyValidationException(rule.source(), rule.id(), "invalid CEL condition: "
                    + firstLines(e.getMessage()), e);
        }
        CelType type = ast.getResultType();
        if (type.kind() != CelKind.BOOL && type.kind() != CelKind.DYN) {
            throw new PolicyValidationException(rule.source(), rule.id(),
                    "condition must evaluate to bool but has type " + type.name() + ": " + rule.condition());
        }
        try {
            return CEL.createProgram(ast);
        } catch (CelEvaluationException e) {
            throw new PolicyValidationException(rule.source(), rule.id(),
                    "cannot plan CEL condition: " + e.getMessage(), e);
        }
    }

    /** CEL error strings carry a source excerpt and a caret line; keep the "ERROR: ..." lines only. */
    private static String firstLines(String s) {
        if (s == null) {
            return "";
        }
        String errors = Arrays.stream(s.split("\n"))
                .map(String::trim)
                .filter(l -> l.startsWith("ERROR:"))
                .map(l -> l.substring("ERROR:".length()).trim())
                .collect(Collectors.joining("; "));
        return errors.isEmpty() ? s.replace('\n', ' ').trim() : errors;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Findings (FAIL / ERROR) of every rule that applies to {@code resource}. */
    public List<Finding> evaluate(Resource resource) {
        List<Finding> out = new ArrayList<>();
        evaluateInto(resource, clock.instant(), out, new int[3]);
        return List.copyOf(out);
    }

    /** Evaluates every resource; findings are in input order of resources, then rule order. */
    public Evaluation evaluateAll(Collection<Resource> resources) {
        Run run = start();
        resources.forEach(run);
        return run.evaluation();
    }

    /**
     * Starts evaluating resources one at a time, as they stream in (a snapshot read resource by resource need not
     * be held whole); {@code now} is read once, here. {@link Run#evaluation()} equals {@link #evaluateAll} over the
     * same resources in the same order.
     */
    public Run start() {
        return new Run(clock.instant(), 1);
    }

    /**
     * As {@link #start()}, evaluating on up to {@code threads} worker threads while the caller goes on handing
     * resources over (e.g. reading and validating the next ones): resources are evaluated in batches of
     * {@value #BATCH}, at most two batches per thread in flight, and the batches' findings are joined in the order
     * the resources came in, so the {@link Evaluation} is the same as {@link #start()}'s. No thread is started
     * before the first full batch (a small snapshot is evaluated on the caller's thread). Close the run when it is
     * abandoned (an invalid snapshot) so its threads stop.
     */
    public Run start(int threads) {
        return new Run(clock.instant(), Math.max(1, threads));
    }

    /** Resources per batch of a parallel {@link Run}. */
    static final int BATCH = 256;

    /** What one batch of resources gave. */
    private record Chunk(List<Finding> findings, int[] counts, int resources) {
    }

    /**
     * One evaluation over a stream of resources. Hand resources over and read the evaluation from one thread; a run
     * started with threads evaluates on them (see {@link #start(int)}).
     */
    public final class Run implements java.util.function.Consumer<Resource>, AutoCloseable {
        private final Instant now;
        private final int threads;
        private final List<Finding> out = new ArrayList<>();
        private final int[] counts = new int[3]; // applied, exempt resources, exemptions
        private int n;
        private List<Resource> batch = new ArrayList<>();
        private final java.util.ArrayDeque<java.util.concurrent.Future<Chunk>> pending = new java.util.ArrayDeque<>();
        private java.util.concurrent.ExecutorService workers;

        private Run(Instant now, int threads) {
            this.now = now;
            this.threads = threads;
        }

        @Override
        public void accept(Resource r) {
            if (threads == 1) {
                evaluateInto(r, now, out, counts);
                n++;
                return;
            }
            batch.add(r);
            if (batch.size() == BATCH) {
                submit();
            }
        }

        private void submit() {
            if (workers == null) {
                java.util.concurrent.atomic.AtomicInteger id = new java.util.concurrent.atomic.AtomicInteger();
                workers = java.util.concurrent.Executors.newFixedThreadPool(threads, task -> {
                    Thread t = new Thread(task, "cloudwarden-policy-" + id.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            List<Resource> resources = batch;
            batch = new ArrayList<>();
            pending.add(workers.submit(() -> evaluate(resources)));
            while (pending.size() > 2 * threads) {
                join(pending.poll());
            }
        }

        private Chunk evaluate(List<Resource> resources) {
            List<Finding> found = new ArrayList<>();
            int[] c = new int[3];
            for (Resource r : resources) {
                evaluateInto(r, now, found, c);
            }
            return new Chunk(found, c, resources.size());
        }

        private void join(java.util.concurrent.Future<Chunk> f) {
            Chunk chunk;
            try {
                chunk = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while evaluating rules", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
            out.addAll(chunk.findings());
            for (int i = 0; i < counts.length; i++) {
                counts[i] += chunk.counts()[i];
            }
            n += chunk.resources();
        }

        /** Every resource handed over, evaluated; waits for the worker threads and stops them. */
        public Evaluation evaluation() {
            if (workers == null) { // never a full batch: evaluate what there is here
                Chunk rest = evaluate(batch);
                batch = new ArrayList<>();
                pending.add(java.util.concurrent.CompletableFuture.completedFuture(rest));
            } else if (!batch.isEmpty()) {
                submit();
            }
            try {
                while (!pending.isEmpty()) {
                    join(pending.poll());
                }
            } finally {
                close();
            }
            return new Evaluation(out, n, counts[0], counts[1], counts[2]);
        }

        /** Stops the worker threads (also when the run is abandoned half-way). */
        @Override
        public void close() {
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }

    private void evaluateInto(Resource resource, Instant now, List<Finding> out, int[] counts) {
        List<Compiled> applicable = applicable(resource.type());
        if (applicable.isEmpty()) {
            return;
        }
        Set<String> exempt = exemptions(resource);
        dev.cel.runtime.CelVariableResolver vars = null;
        boolean skippedAny = false;
        for (Compiled c : applicable) {
            Rule rule = c.rule();
            if (!exempt.isEmpty() && (exempt.contains("true") || exempt.contains(rule.id()))) {
                counts[2]++;
                skippedAny = true;
                continue;
            }
            if (vars == null) {
                vars = variables(CelValues.resource(resource), now);
            }
            counts[0]++;
            Object result;
            try {
                result = c.program().eval(vars);
            } catch (CelEvaluationException | RuntimeException e) {
                out.add(finding(rule, resource, Finding.Status.ERROR,
                        rule.title() + ": could not evaluate condition: " + errorText(e)));
                continue;
            }
            if (result instanceof Boolean b) {
                if (!b) {
                    out.add(finding(rule, resource, Finding.Status.FAIL, failMessage(c, resource)));
                }
            } else {
                out.add(finding(rule, resource, Finding.Status.ERROR, rule.title()
                        + ": condition returned " + describe(result) + " instead of a bool"));
            }
        }
        if (skippedAny) {
            counts[1]++;
        }
    }

    /**
     * The two variables a condition sees, as a resolver: {@code Program.eval(Map)} copies its map into a new immutable
     * map (through a stream) on every evaluation, which was ≈ 1 % of a 2,000-bucket scan's CPU samples; a resolver is
     * read as it is.
     */
    private static dev.cel.runtime.CelVariableResolver variables(Object resource, Instant now) {
        java.util.Optional<Object> r = java.util.Optional.of(resource);
        java.util.Optional<Object> n = java.util.Optional.of(now);
        return name -> switch (name) {
            case "resource" -> r;
            case "now" -> n;
            default -> java.util.Optional.empty();
        };
    }

    private static Set<String> exemptions(Resource r) {
        String v = r.tags().get(EXEMPT_TAG);
        if (v == null || v.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.equalsIgnoreCase("true") ? "true" : s)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Finding finding(Rule rule, Resource r, Finding.Status status, String message) {
        return new Finding(Finding.idFor(rule.id(), r.ref()), rule.id(), rule.title(), rule.severity(), status,
                r.ref(), message, rule.controls(), rule.remediation(), r.observedAt());
    }

    /**
     * "title: subject (attr=value, …)": the short reason shows the values of the top-level attributes the condition
     * reads ({@code resource.attributes.NAME}), which is what a reader needs to see why the rule failed. The list of
     * names is computed once per rule; values are cut to keep the message short.
     */
    private static String failMessage(Compiled c, Resource r) {
        String subject = r.name().isEmpty() ? r.id() : r.name();
        StringBuilder reason = new StringBuilder();
        for (String attr : c.attributes()) {
            JsonNode v = r.attributes().get(attr);
            if (v == null) {
                continue;
            }
            String text = valueText(v);
            if (text.length() > MAX_VALUE_IN_MESSAGE) {
                text = text.substring(0, MAX_VALUE_IN_MESSAGE - 1) + "…";
            }
            reason.append(reason.length() == 0 ? "" : ", ").append(attr).append('=').append(text);
        }
        return c.rule().title() + ": " + subject
                + (reason.length() == 0 ? " does not comply" : " (" + reason + ")");
    }

    /**
     * A value as JSON, as {@link JsonNode#toString()} writes it: strings (quoted and escaped as JSON), booleans, null and
     * integers written directly, and objects and arrays of those too; a value holding anything else (a decimal, binary)
     * through Jackson. {@code toString()} creates a JSON generator per call: ≈ 1.5 % of a scan's CPU samples for the
     * attributes of 5,500 failing findings, then ≈ 1.3 % for the objects among them (a bucket's {@code encryption}).
     */
    static String valueText(JsonNode v) {
        StringBuilder b = new StringBuilder();
        return appendJson(v, b) ? b.toString() : v.toString();
    }

    /** Appends {@code v} as compact JSON; false (leaving {@code b} partly written) for a value it does not write. */
    private static boolean appendJson(JsonNode v, StringBuilder b) {
        if (v.isTextual()) {
            appendQuoted(v.textValue(), b);
        } else if (v.isBoolean() || v.isNull() || v.isIntegralNumber()) {
            b.append(v.asText());
        } else if (v.isObject()) {
            b.append('{');
            boolean first = true;
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(first ? "" : ",");
                first = false;
                appendQuoted(e.getKey(), b);
                b.append(':');
                if (!appendJson(e.getValue(), b)) {
                    return false;
                }
            }
            b.append('}');
        } else if (v.isArray()) {
            b.append('[');
            for (int i = 0; i < v.size(); i++) {
                b.append(i == 0 ? "" : ",");
                if (!appendJson(v.get(i), b)) {
                    return false;
                }
            }
            b.append(']');
        } else {
            return false;
        }
        return true;
    }

    private static void appendQuoted(String text, StringBuilder b) {
        b.append('"');
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, b);
        b.append('"');
    }

    private static List<String> referencedAttributes(String condition) {
        Matcher m = ATTRIBUTE_REF.matcher(condition);
        LinkedHashSet<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    private static String errorText(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ').trim();
    }

    private static String describe(Object v) {
        if (v == null || v instanceof dev.cel.common.values.NullValue
                || v instanceof com.google.protobuf.NullValue) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "an int";
        }
        if (v instanceof Double) {
            return "a double";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "a " + v.getClass().getSimpleName();
    }
}
