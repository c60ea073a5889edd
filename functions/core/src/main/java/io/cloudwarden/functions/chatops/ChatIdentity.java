package io.cloudwarden.functions.chatops;

import io.cloudwarden.model.Actor;
import java.util.List;

/**
 * Who sent a chat command, as the verified request names them. {@code platform} is {@code slack} or {@code teams};
 * {@code workspace} is the Slack team id or the Teams tenant id; {@code userId} is the stable user id (Slack
 * {@code user_id}, Teams {@code from.aadObjectId}) — display names are carried for humans only, never authorised on.
 */
public record ChatIdentity(String platform, String workspace, String userId, String userName, String channel) {
    public ChatIdentity {
        platform = platform == null ? "" : platform;
        workspace = workspace == null ? "" : workspace;
        userId = userId == null ? "" : userId;
        userName = userName == null ? "" : userName;
        channel = channel == null ? "" : channel;
    }

    /** The keys a role list may name: {@code <platform>:<workspace>:<user>} and {@code <platform>:<user>}. */
    public List<String> roleKeys() {
        return List.of(platform + ":" + workspace + ":" + userId, platform + ":" + userId);
    }

    /** The audit / plan actor: kind {@code chat}, the user id, the user name, via {@code <platform>:<workspace>}. */
    public Actor actor() {
        return new Actor("chat", userId, userName, platform + ":" + workspace);
    }
}
