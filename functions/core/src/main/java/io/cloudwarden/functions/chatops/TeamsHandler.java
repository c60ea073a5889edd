package io.cloudwarden.functions.chatops;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.http.HttpHandler;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.Hashing;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * {@code POST /chatops/teams}: a Teams outgoing webhook (an @mention of the bot in a channel). Checks: size (413),
 * configuration (503), {@code Authorization: HMAC} (401), replay of the same HMAC (401), then the activity JSON
 * (400). Teams needs the answer within 5 seconds and an outgoing webhook cannot post later, so commands answer
 * synchronously — except {@code scan}, which is started in the background and announced.
 */
public final class TeamsHandler implements HttpHandler {
    public static final int MAX_BODY = SlackHandler.MAX_BODY;
    public static final String SECRET_KEY = "cloudwarden.teams.secret";
    private static final System.Logger LOG = System.getLogger(TeamsHandler.class.getName());
    private static final Pattern MENTION = Pattern.compile("<at>.*?</at>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private final ChatOps chatops;
    private final Optional<TeamsSignature> signature;
    private final ReplayGuard replay;
    private final Executor background;

    public TeamsHandler(ChatOps chatops, Optional<String> secret, ReplayGuard replay, Executor background) {
        this.chatops = chatops;
        this.signature = secret.flatMap(TeamsHandler::signature);
        this.replay = replay;
        this.background = background;
    }

    private static Optional<TeamsSignature> signature(String secret) {
        try {
            return Optional.of(new TeamsSignature(secret));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "chatops teams: disabled: {0}", e.getMessage());
            return Optional.empty();
        }
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
            LOG.log(System.Logger.Level.WARNING, "chatops teams: unavailable: {0}", e.getClass().getSimpleName());
            return HttpResponse.error(503, "temporarily unavailable, try again");
        }
    }

    private HttpResponse checkedHandle(HttpRequest req) {
        if (req.body().length > MAX_BODY) {
            return HttpResponse.error(413, "body exceeds " + MAX_BODY + " bytes");
        }
        if (signature.isEmpty()) {
            return HttpResponse.error(503, "Teams chatops is not configured (set " + SECRET_KEY
                    + " to the webhook's base64 security token)");
        }
        try {
            String auth = req.header("authorization").orElse("");
            signature.get().verify(auth, req.body());
            replay.claim("teams", auth.trim());
        } catch (SignatureException e) {
            LOG.log(System.Logger.Level.WARNING, "chatops teams: refused unauthenticated request: {0}",
                    e.getMessage());
            return HttpResponse.error(401, e.getMessage());
        }
        try {
            return activity(req);
        } catch (IllegalArgumentException e) {
            chatops.auditInvalidRequest("teams", e.getMessage());
            return HttpResponse.error(400, e.getMessage());
        }
    }

    private HttpResponse activity(HttpRequest req) {
        JsonNode a;
        try {
            a = ModelJson.mapper().readTree(req.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("body: expected a Bot Framework activity (JSON)");
        }
        if (a == null || !a.isObject()) {
            throw new IllegalArgumentException("body: expected a JSON object (a Bot Framework activity)");
        }
        if (!"message".equals(a.path("type").asText())) {
            throw new IllegalArgumentException("type: expected message");
        }
        String user = required(a.path("from").path("aadObjectId"), "from.aadObjectId");
        String tenant = required(a.path("channelData").path("tenant").path("id"), "channelData.tenant.id");
        if (!a.path("text").isTextual()) {
            throw new IllegalArgumentException("text: missing");
        }
        ChatIdentity who = new ChatIdentity("teams", tenant, user, a.path("from").path("name").asText(""),
                a.path("conversation").path("id").asText(""));
        ChatCommand cmd = ChatCommand.parse(commandText(a.path("text").asText()));
        String requestId = "teams-" + Hashing.sha256Hex(req.bodyText()).substring(0, 16);
        Optional<ChatReply> refused = chatops.refusal(who, cmd, requestId);
        if (refused.isPresent()) {
            return reply(refused.get());
        }
        if (cmd.verb() == ChatCommand.Verb.SCAN) {
            background.execute(() -> chatops.execute(who, cmd, requestId));
            return reply(ChatReply.text("Scan started. Mention me with `status` or `findings` in a minute for the"
                    + " results."));
        }
        return reply(chatops.execute(who, cmd, requestId));
    }

    /** The command after the bot's {@code <at>…</at>} mention, with HTML tags and entities removed. */
    static String commandText(String text) {
        String t = MENTION.matcher(text).replaceAll(" ");
        t = TAG.matcher(t).replaceAll(" ");
        return t.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&").strip();
    }

    private static String required(JsonNode n, String field) {
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": missing");
        }
        return n.asText();
    }

    private static HttpResponse reply(ChatReply r) {
        return HttpResponse.json(200, TeamsRenderer.render(r));
    }
}
