package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.MutableClock;
import io.cloudwarden.testkit.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Cloudwarden runtime over an {@link InMemoryProvider} AWS estate (one public bucket, one private) with chatops
 * configured, plus helpers that build Slack and Teams requests from the real wire-format fixtures and sign them.
 * Background work runs on the calling thread and delayed answers are recorded, so tests are deterministic.
 */
final class ChatOpsHarness {
    static final String SIGNING_SECRET = "e2b4c1d9a8f7e6d5c4b3a2f1e0d9c8b7";
    /** A Teams outgoing-webhook security token: base64 of 32 bytes. */
    static final String TEAMS_SECRET = "q3Vx0c9mB1o2pQ7e4R8tY6uI0oP3aS5dF7gH9jK1lZ4=";
    static final String TEAM = "T0001";
    static final String VIEWER = "U01VIEW000";
    static final String OPERATOR = "U02OPS0000";
    static final String APPROVER = "U03APPR000";
    static final String ADMIN = "U04ADMN000";
    static final String STRANGER = "U09NOBODY0";
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String TEAMS_OPERATOR = "6f1c2b7e-93a4-4d0e-8b52-0e7d3c2a9f11";
    static final String TEAMS_APPROVER = "0a9e8d7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c";
    static final String TEAMS_VIEWER = "c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f";
    static final String RESPONSE_URL = "https://hooks.slack.com/commands/T0001/1234/5678AbCdEf";
    static final Instant START = Instant.parse("2026-11-23T10:05:00Z");

    record Posted(URI url, ObjectNode message) {
    }

    final MutableClock clock = new MutableClock(START);
    final InMemoryProvider provider;
    final io.cloudwarden.engine.spi.StateStore store;
    final Cloudwarden cw;
    final Functions functions;
    final List<Posted> posted = new CopyOnWriteArrayList<>();

    ChatOpsHarness() {
        this(Map.of());
    }

    ChatOpsHarness(Map<String, String> overrides) {
        this(overrides, RemediationPlan.Risk.HIGH);
    }

    ChatOpsHarness(Map<String, String> overrides, RemediationPlan.Risk risk) {
        this(overrides, risk, new InMemoryStateStore());
    }

    ChatOpsHarness(Map<String, String> overrides, RemediationPlan.Risk risk, io.cloudwarden.engine.spi.StateStore store) {
        this.store = store;
        Map<String, String> config = new HashMap<>();
        config.put("cloudwarden.apply", "true");
        config.put("cloudwarden.clouds", "aws");
        config.put("cloudwarden.slack.signing.secret", SIGNING_SECRET);
        config.put("cloudwarden.teams.secret", TEAMS_SECRET);
        config.put("cloudwarden.chatops.roles.viewer", "slack:T0001:" + VIEWER + ",teams:" + TEAMS_VIEWER);
        config.put("cloudwarden.chatops.roles.operator", "slack:" + OPERATOR + ",teams:" + TEAMS_OPERATOR);
        config.put("cloudwarden.chatops.roles.approver", "slack:T0001:" + APPROVER + ",teams:" + TENANT + ":"
                + TEAMS_APPROVER);
        config.put("cloudwarden.chatops.roles.admin", "slack:T0001:" + ADMIN);
        config.putAll(overrides);
        config.values().removeIf(String::isEmpty);
        provider = new InMemoryProvider(Cloud.AWS, List.of(new ScanTarget("111122223333", List.of("us-east-1"))),
                risk);
        provider.put(Resources.awsBucket("public-logs", true)).put(Resources.awsBucket("private-data", false));
        // as the AWS provider imports buckets (hashicorp/aws r/s3_bucket: by bucket name)
        provider.imports(r -> java.util.Optional.of(new io.cloudwarden.engine.spi.TerraformImport.Importable(
                "aws_s3_bucket", r.id().substring(r.id().lastIndexOf(':') + 1))));
        cw = new Cloudwarden(CoreConfig.of(config), ProviderRegistry.of(List.of(provider)), store, clock);
        functions = Functions.inProcess(cw);
        ChatOpsRoutes.create(cw, functions.detector(), functions.remediation(),
                (url, message) -> posted.add(new Posted(url, message)), Runnable::run).registerOn(functions.gateway());
    }

    /** Seeds state with a real scan of the estate, as a schedule would. */
    ChatOpsHarness scanned() {
        functions.detector().scan(List.of(Cloud.AWS), Set.of(), "schedule:test", Actor.SYSTEM, ScanListener.NONE);
        return this;
    }

    ResourceRef publicBucket() {
        return Resources.awsBucket("public-logs", true).ref();
    }

    /** The id of the public-access finding on the public bucket in the latest evaluation. */
    String publicAccessFinding() {
        return cw.repository().latestFindings().orElseThrow().findings().stream()
                .filter(f -> f.ruleId().equals("storage-no-public-access")
                        && f.resource().matchKey().equals(publicBucket().matchKey()))
                .map(Finding::id).findFirst().orElseThrow();
    }

    // ----------------------------------------------------------------------------------------------- Slack

    static String fixture(String name) {
        try (InputStream in = ChatOpsHarness.class.getResourceAsStream("/chatops/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture chatops/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A slash command body exactly as Slack sends it (form-encoded, spaces as '+'). */
    static byte[] slashBody(String userId, String userName, String text, String responseUrl) {
        return fixture("slash-command.form").replace("${user_id}", form(userId)).replace("${user_name}",
                form(userName)).replace("${text}", form(text)).replace("${response_url}", form(responseUrl))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An interactivity body: one form field {@code payload} holding the block_actions JSON. */
    static byte[] clickBody(String userId, String userName, String actionId, String planId) {
        String json = fixture("block-actions.json").replace("${user_id}", userId).replace("${user_name}", userName)
                .replace("${action_id}", actionId).replace("${plan_id}", planId);
        return ("payload=" + form(json)).getBytes(StandardCharsets.UTF_8);
    }

    String timestamp() {
        return String.valueOf(clock.instant().getEpochSecond());
    }

    static HttpRequest slackRequest(byte[] body, Map<String, String> headers) {
        Map<String, String> h = new HashMap<>(headers);
        h.put("Content-Type", "application/x-www-form-urlencoded");
        h.put("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)");
        return HttpRequest.of("POST", "/chatops/slack", h, body);
    }

    HttpRequest signedSlack(byte[] body) {
        String ts = timestamp();
        return slackRequest(body, Map.of("X-Slack-Request-Timestamp", ts, "X-Slack-Signature",
                new SlackSignature(SIGNING_SECRET).sign(ts, body)));
    }

    HttpResponse slack(String userId, String text) {
        return send(signedSlack(slashBody(userId, userId.toLowerCase(), text, RESPONSE_URL)));
    }

    HttpResponse click(String userId, String actionId, String planId) {
        return send(signedSlack(clickBody(userId, userId.toLowerCase(), actionId, planId)));
    }

    HttpResponse send(HttpRequest req) {
        return functions.gateway().handle(req);
    }

    // ----------------------------------------------------------------------------------------------- Teams

    static byte[] teamsBody(String aadObjectId, String name, String text) {
        return fixture("teams-activity.json").replace("${aad}", aadObjectId).replace("${user_name}", name)
                .replace("${text}", text).getBytes(StandardCharsets.UTF_8);
    }

    static HttpRequest teamsRequest(byte[] body, Map<String, String> headers) {
        Map<String, String> h = new HashMap<>(headers);
        h.put("Content-Type", "application/json; charset=utf-8");
        return HttpRequest.of("POST", "/chatops/teams", h, body);
    }

    static HttpRequest signedTeams(byte[] body) {
        return teamsRequest(body, Map.of("Authorization", new TeamsSignature(TEAMS_SECRET).sign(body)));
    }

    HttpResponse teams(String aad, String name, String text) {
        return send(signedTeams(teamsBody(aad, name, text)));
    }

    // ----------------------------------------------------------------------------------------------- reading

    static JsonNode json(HttpResponse r) {
        try {
            return ModelJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All the text of a Slack message: {@code text}, section texts and fields, context elements. */
    static String slackText(JsonNode message) {
        StringBuilder sb = new StringBuilder(message.path("text").asText());
        for (JsonNode b : message.path("blocks")) {
            sb.append('\n').append(b.path("text").path("text").asText());
            b.path("fields").forEach(f -> sb.append('\n').append(f.path("text").asText()));
            b.path("elements").forEach(e -> sb.append('\n').append(e.path("text").isTextual()
                    ? e.path("text").asText() : e.path("text").path("text").asText()));
        }
        return sb.toString();
    }

    List<AuditRecord> audit() {
        return cw.audit().read();
    }

    List<AuditRecord> audit(String action) {
        return audit().stream().filter(r -> r.action().equals(action)).toList();
    }

    String auditText() {
        return cw.store().get(io.cloudwarden.engine.audit.AuditChain.KEY)
                .map(o -> new String(o.data(), StandardCharsets.UTF_8)).orElse("");
    }

    /** Every key and version in the store: equal before and after means nothing was written. */
    Map<String, String> stateFingerprint() {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String k : store.list("")) {
            store.get(k).ifPresent(o -> m.put(k, o.version()));
        }
        return m;
    }
}
