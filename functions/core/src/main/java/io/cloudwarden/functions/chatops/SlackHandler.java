package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.functions.http.HttpHandler;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.ModelJson;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code POST /chatops/slack}: slash commands ({@code /cloudwarden <text>}) and interactivity ({@code payload} with
 * a {@code block_actions} click on Approve / Deny). Order of checks: size (413), configuration (503), signature and
 * timestamp (401), replay (401), then parsing (400) — nothing is parsed or stored before the signature holds.
 * Quick commands answer inline; {@link ChatCommand.Verb#background() long ones} are acknowledged at once and their
 * answer is posted to the allow-listed {@code response_url} by the background executor.
 */
public final class SlackHandler implements HttpHandler {
    public static final int MAX_BODY = 64 * 1024;
    public static final String SECRET_KEY = "cloudwarden.slack.signing.secret";
    private static final System.Logger LOG = System.getLogger(SlackHandler.class.getName());

    private final ChatOps chatops;
    private final Optional<SlackSignature> signature;
    private final ReplayGuard replay;
    private final ResponseUrls responseUrls;
    private final ResponsePoster poster;
    private final Executor background;
    private final Clock clock;

    public SlackHandler(ChatOps chatops, Optional<String> signingSecret, ReplayGuard replay, ResponseUrls responseUrls,
            ResponsePoster poster, Executor background, Clock clock) {
        this.chatops = chatops;
        this.signature = signingSecret.map(SlackSignature::new);
        this.replay = replay;
        this.responseUrls = responseUrls;
        this.poster = poster;
        this.background = background;
        this.clock = clock;
    }

    /**
     * Where verified long-running work goes: by default the background executor of this process; on Lambda the
     * work queue ({@link ChatWork} as a CloudEvent), whose consumer calls {@link #run}.
     */
    private volatile java.util.function.Consumer<ChatWork> deferral = w -> background().execute(() -> run(w));

    private Executor background() {
        return background;
    }

    /** Sends long-running work elsewhere (e.g. a queue) instead of this process's background executor. */
    public SlackHandler deferTo(java.util.function.Consumer<ChatWork> deferral) {
        this.deferral = java.util.Objects.requireNonNull(deferral);
        return this;
    }

    /**
     * Runs deferred work and posts its answer to its {@code response_url} (checked against the allow-list again).
     * The work was verified and authorised by the route that made it (see {@link ChatWork}).
     */
    public void run(ChatWork work) {
        URI url = allowedResponseUrl(work.responseUrl());
        ChatReply r = chatops.execute(work.who(), work.command(), work.requestId());
        // A decision replaces the message with the buttons; a refusal (e.g. two-person rule) leaves them.
        deliver(url, r, work.replaceOriginal() && r.inChannel());
    }

    /**
     * Never throws and never answers 500: anything unexpected (a store outage during the replay check, say) is a 503
     * the platform may retry, logged by exception type only.
     */
    @Override
    public HttpResponse handle(HttpRequest req) {
        try {
            return checkedHandle(req);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "chatops slack: unavailable: {0}", e.getClass().getSimpleName());
            return HttpResponse.error(503, "temporarily unavailable, try again");
        }
    }

    private HttpResponse checkedHandle(HttpRequest req) {
        if (req.body().length > MAX_BODY) {
            return HttpResponse.error(413, "body exceeds " + MAX_BODY + " bytes");
        }
        if (signature.isEmpty()) {
            return HttpResponse.error(503, "Slack chatops is not configured (set " + SECRET_KEY + ")");
        }
        try {
            String sig = req.header(SlackSignature.SIGNATURE_HEADER).orElse("");
            signature.get().verify(req.header(SlackSignature.TIMESTAMP_HEADER).orElse(""), sig, req.body(),
                    clock.instant());
            replay.claim("slack", sig);
        } catch (SignatureException e) {
            LOG.log(System.Logger.Level.WARNING, "chatops slack: refused unauthenticated request: {0}",
                    e.getMessage());
            return HttpResponse.error(401, e.getMessage());
        }
        try {
            FormBody form = FormBody.parse(req.body());
            String requestId = "slack-" + Hashing.sha256Hex(req.bodyText()).substring(0, 16);
            if ("1".equals(form.get("ssl_check").orElse(""))) {
                // Slack's periodic certificate check of the Request URL: acknowledge, nothing to run or audit.
                return new HttpResponse(200, Map.of(), new byte[0]);
            }
            if (form.get("payload").isPresent()) {
                return interaction(form.get("payload").get(), requestId);
            }
            return command(form, requestId);
        } catch (IllegalArgumentException e) {
            chatops.auditInvalidRequest("slack", e.getMessage());
            return HttpResponse.error(400, e.getMessage());
        }
    }

    private HttpResponse command(FormBody form, String requestId) {
        ChatIdentity who = new ChatIdentity("slack", form.require("team_id"), form.require("user_id"),
                form.get("user_name").orElse(""), form.get("channel_id").orElse(""));
        ChatCommand cmd = ChatCommand.parse(unescape(form.get("text").orElse("")));
        Optional<ChatReply> refused = chatops.refusal(who, cmd, requestId);
        if (refused.isPresent()) {
            return reply(refused.get());
        }
        if (!cmd.verb().background()) {
            return reply(chatops.execute(who, cmd, requestId));
        }
        URI url = allowedResponseUrl(form.get("response_url").orElse(""));
        deferral.accept(new ChatWork(who, cmd, requestId, url.toString(), false));
        return reply(ChatReply.text("Working on `" + cmd.verb().id() + "`… the answer will follow here."));
    }

    /** A block_actions click on a plan's Approve or Deny button. The button value is only the plan id. */
    private HttpResponse interaction(String payloadJson, String requestId) {
        JsonNode p;
        try {
            p = ModelJson.mapper().readTree(payloadJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload: expected JSON");
        }
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException("payload: expected a JSON object");
        }
        if (!"block_actions".equals(p.path("type").asText())) {
            throw new IllegalArgumentException("payload.type: expected block_actions");
        }
        String user = text(p.path("user").path("id"), "payload.user.id");
        String team = p.path("team").path("id").isTextual() ? p.path("team").path("id").asText()
                : text(p.path("user").path("team_id"), "payload.team.id");
        JsonNode action = p.path("actions").path(0);
        String actionId = text(action.path("action_id"), "payload.actions[0].action_id");
        ChatCommand.Verb verb = switch (actionId) {
            case "approve" -> ChatCommand.Verb.APPROVE;
            case "deny" -> ChatCommand.Verb.DENY;
            default -> throw new IllegalArgumentException("payload.actions[0].action_id: expected approve or deny");
        };
        String planId = text(action.path("value"), "payload.actions[0].value");
        URI url = allowedResponseUrl(p.path("response_url").asText(""));
        JsonNode u = p.path("user");
        String name = u.path("username").asText(u.path("name").asText(""));
        ChatIdentity who = new ChatIdentity("slack", team, user, name, p.path("channel").path("id").asText(
                p.path("container").path("channel_id").asText("")));
        ChatCommand cmd = new ChatCommand(verb, verb.id(), List.of(planId), Map.of());
        Optional<ChatReply> refused = chatops.refusal(who, cmd, requestId);
        if (refused.isPresent()) {
            // Only the clicker sees the refusal; the buttons stay for someone who may decide.
            background.execute(() -> deliver(url, refused.get(), false));
            return new HttpResponse(200, Map.of(), new byte[0]);
        }
        deferral.accept(new ChatWork(who, cmd, requestId, url.toString(), true));
        return new HttpResponse(200, Map.of(), new byte[0]);
    }

    private URI allowedResponseUrl(String url) {
        return responseUrls.check(url).orElseThrow(() -> new IllegalArgumentException("response_url: expected a URL"
                + " starting with one of " + responseUrls.prefixes() + " (see " + ResponseUrls.KEY + ")"));
    }

    private void deliver(URI url, ChatReply reply, boolean replaceOriginal) {
        try {
            ObjectNode message = SlackRenderer.render(reply);
            if (replaceOriginal) {
                message.put("replace_original", true);
            } else {
                message.put("replace_original", false);
            }
            poster.post(url, message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "chatops slack: could not deliver a delayed answer: {0}",
                    e.getClass().getSimpleName());
        }
    }

    private static String text(JsonNode n, String field) {
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": missing");
        }
        return n.asText();
    }

    private static HttpResponse reply(ChatReply r) {
        return HttpResponse.json(200, SlackRenderer.render(r));
    }

    /** Slack escapes {@code & < >} in command text. */
    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
