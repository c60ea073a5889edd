package io.cloudwarden.functions.chatops;

import static io.cloudwarden.functions.chatops.ChatOpsHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Random bodies and headers thrown at both chat endpoints: the answer is always one of the documented statuses,
 * nothing throws, and a request that is not correctly signed changes nothing in the state store (no plan, no
 * audit record, no replay claim).
 */
class ChatOpsPropertyTest {
    static final Set<Integer> DOCUMENTED = Set.of(200, 400, 401, 403, 404, 413, 503);
    private static final List<String> WORDS = List.of("help", "status", "findings", "explain", "drift", "scan",
            "remediate", "approve", "deny", "--severity", "--cloud", "high", "aws", "gcp", "azure", "f-", "p-",
            "<at>Bot</at>", "&amp;", "%", "\u0000", "💥", "--", "=", "../..", "p-0123456789abcdef");
    private static final List<String> FIELDS = List.of("token", "team_id", "user_id", "user_name", "channel_id",
            "command", "text", "response_url", "trigger_id", "payload", "api_app_id", "");
    private static final List<String> USERS = List.of(VIEWER, OPERATOR, APPROVER, ADMIN, STRANGER, "", "U");

    private ChatOpsHarness h;

    @BeforeProperty
    void setUp() {
        h = new ChatOpsHarness().scanned();
    }

    // ------------------------------------------------------------------------------------ unauthenticated

    @Property(tries = 300)
    void unsignedSlackRequestsAreRefusedAndChangeNothing(@ForAll("bodies") byte[] body,
            @ForAll("slackHeaders") Map<String, String> headers) {
        Map<String, String> before = h.stateFingerprint();
        HttpResponse r = h.send(slackRequest(body, headers));
        assertThat(r.status()).isIn(401, 413);
        assertThat(h.stateFingerprint()).isEqualTo(before);
    }

    @Property(tries = 300)
    void unsignedTeamsRequestsAreRefusedAndChangeNothing(@ForAll("bodies") byte[] body,
            @ForAll("teamsHeaders") Map<String, String> headers) {
        Map<String, String> before = h.stateFingerprint();
        HttpResponse r = h.send(teamsRequest(body, headers));
        assertThat(r.status()).isIn(401, 413);
        assertThat(h.stateFingerprint()).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------------ authenticated

    @Property(tries = 300)
    void signedRandomSlackRequestsGetADocumentedStatus(@ForAll("slackBodies") byte[] body) {
        h.clock.advance(Duration.ofSeconds(1));
        HttpResponse r = h.send(h.signedSlack(body));
        Statistics.collect(r.status());
        assertThat(r.status()).isIn(DOCUMENTED.toArray());
        assertThat(r.bodyText()).doesNotContain(SIGNING_SECRET).doesNotContain("Exception:");
    }

    @Property(tries = 300)
    void signedRandomTeamsRequestsGetADocumentedStatus(@ForAll("teamsBodies") byte[] body) {
        HttpResponse r = h.send(signedTeams(body));
        Statistics.collect(r.status());
        assertThat(r.status()).isIn(DOCUMENTED.toArray());
        assertThat(r.bodyText()).doesNotContain(TEAMS_SECRET);
    }

    // ------------------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        Arbitrary<byte[]> forms = slackBodies();
        Arbitrary<byte[]> activities = teamsBodies();
        Arbitrary<byte[]> huge = Arbitraries.integers().between(SlackHandler.MAX_BODY - 2, SlackHandler.MAX_BODY + 64)
                .map(n -> new byte[n]);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, raw), net.jqwik.api.Tuple.of(4, forms),
                net.jqwik.api.Tuple.of(3, activities), net.jqwik.api.Tuple.of(1, huge));
    }

    @Provide
    Arbitrary<Map<String, String>> slackHeaders() {
        Arbitrary<String> ts = Arbitraries.oneOf(Arbitraries.just(String.valueOf(START.getEpochSecond())),
                Arbitraries.longs().map(String::valueOf), Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> sig = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).map(s -> "v0=" + s),
                Arbitraries.strings().ofMaxLength(80));
        return Combinators.combine(ts.injectNull(0.2), sig.injectNull(0.2)).as((t, s) -> {
            Map<String, String> m = new HashMap<>();
            if (t != null) {
                m.put("X-Slack-Request-Timestamp", t);
            }
            if (s != null) {
                m.put("X-Slack-Signature", s);
            }
            return m;
        });
    }

    @Provide
    Arbitrary<Map<String, String>> teamsHeaders() {
        Arbitrary<String> auth = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60).map(s -> "HMAC " + s),
                Arbitraries.bytes().array(byte[].class).ofSize(32)
                        .map(b -> "HMAC " + java.util.Base64.getEncoder().encodeToString(b)),
                Arbitraries.strings().ofMaxLength(60));
        return auth.injectNull(0.2).map(a -> a == null ? Map.of() : Map.of("Authorization", a));
    }

    private Arbitrary<String> commandText() {
        return Arbitraries.oneOf(Arbitraries.of(WORDS), Arbitraries.strings().ofMaxLength(10)).list().ofMaxSize(4)
                .map(l -> String.join(" ", l));
    }

    @Provide
    Arbitrary<byte[]> slackBodies() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(USERS), commandText(),
                Arbitraries.just(RESPONSE_URL), Arbitraries.just("https://attacker.example/x"),
                Arbitraries.strings().ofMaxLength(20), blockActions());
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(FIELDS), value, Arbitraries.of(true, false))
                .as((k, v, encode) -> k + "=" + (encode ? form(v) : v));
        Arbitrary<byte[]> slash = Combinators.combine(Arbitraries.of(USERS), commandText(),
                Arbitraries.of(RESPONSE_URL, "https://attacker.example/x", ""))
                .as((u, t, url) -> slashBody(u, u, t, url));
        Arbitrary<byte[]> click = Combinators.combine(Arbitraries.of(USERS), Arbitraries.of("approve", "deny", "x"),
                Arbitraries.of("p-0123456789abcdef", "", "../../x", "p-" + "a".repeat(90)))
                .as((u, a, p) -> clickBody(u, u, a, p));
        Arbitrary<byte[]> mixed = pair.list().ofMaxSize(8).map(l -> String.join("&", l)
                .getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(slash, click, mixed, Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    }

    private Arbitrary<String> blockActions() {
        return Arbitraries.of("{\"type\":\"block_actions\"}", "{\"type\":\"block_actions\",\"user\":{\"id\":1}}",
                "[]", "null", "{\"type\":\"view_submission\"}", "{", "{\"type\":\"block_actions\",\"user\":"
                        + "{\"id\":\"" + APPROVER + "\"},\"team\":{\"id\":\"T0001\"},\"actions\":[{\"action_id\":"
                        + "\"approve\",\"value\":\"p-0\"}],\"response_url\":\"" + RESPONSE_URL + "\"}");
    }

    @Provide
    Arbitrary<byte[]> teamsBodies() {
        Arbitrary<byte[]> activity = Combinators.combine(Arbitraries.of(TEAMS_VIEWER, TEAMS_OPERATOR, TEAMS_APPROVER,
                "", "\\\"", "x"), commandText().map(t -> t.replace("\\", "").replace("\"", "")))
                .as((aad, text) -> teamsBody(aad, "Someone", text));
        Arbitrary<byte[]> json = Arbitraries.of("{}", "[]", "null", "{\"type\":\"message\"}",
                "{\"type\":\"message\",\"text\":5}", "{\"type\":\"message\",\"text\":\"help\",\"from\":{"
                        + "\"aadObjectId\":\"x\"}}", "\"message\"", "{\"type\":\"message\",\"text\":\"<at>B</at> scan\","
                        + "\"from\":{\"aadObjectId\":\"" + TEAMS_OPERATOR + "\"},\"channelData\":{\"tenant\":"
                        + "{\"id\":\"t\"}}}")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(activity, json, Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    }

}
