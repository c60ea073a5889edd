package io.cloudwarden.functions.chatops;

import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.functions.RemediationService;
import io.cloudwarden.functions.http.HttpGateway;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Wires the chat routes over one runtime: {@code /chatops/slack} and {@code /chatops/teams}. Secrets come from
 * {@code cloudwarden.slack.signing.secret} and {@code cloudwarden.teams.secret} (env
 * {@code CLOUDWARDEN_SLACK_SIGNING_SECRET}, {@code CLOUDWARDEN_TEAMS_SECRET}); a route without its secret answers 503.
 */
public final class ChatOpsRoutes {
    private final SlackHandler slack;
    private final TeamsHandler teams;

    private ChatOpsRoutes(SlackHandler slack, TeamsHandler teams) {
        this.slack = slack;
        this.teams = teams;
    }

    /**
     * Routes with explicit delivery and background execution (tests pass a recording poster and a same-thread
     * executor).
     */
    public static ChatOpsRoutes create(Cloudwarden cw, Detector detector, RemediationService remediation,
            ResponsePoster poster, Executor background) {
        ChatOps chatops = new ChatOps(cw, detector, remediation, ChatRoles.from(cw.config()));
        ReplayGuard replay = new ReplayGuard(cw.repository(), cw.clock());
        return new ChatOpsRoutes(
                new SlackHandler(chatops, cw.config().get(SlackHandler.SECRET_KEY), replay,
                        ResponseUrls.from(cw.config()), poster, background, cw.clock()),
                new TeamsHandler(chatops, cw.config().get(TeamsHandler.SECRET_KEY), replay, background));
    }

    /**
     * Production wiring: answers posted with {@link HttpClientResponsePoster}; background work on two daemon threads.
     * On platforms that freeze the process after the response (Lambda), long commands should be routed to a worker
     * through the queue instead — the in-process executor is for long-lived servers (Cloud Run, Azure, local).
     */
    public static ChatOpsRoutes defaults(Cloudwarden cw, Detector detector, RemediationService remediation) {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cloudwarden-chatops");
            t.setDaemon(true);
            return t;
        });
        return create(cw, detector, remediation, new HttpClientResponsePoster(ResponseUrls.from(cw.config())), pool);
    }

    public ChatOpsRoutes registerOn(HttpGateway gateway) {
        gateway.route("/chatops/slack", slack).route("/chatops/teams", teams);
        return this;
    }

    public SlackHandler slack() {
        return slack;
    }

    public TeamsHandler teams() {
        return teams;
    }
}
