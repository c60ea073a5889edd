package io.cloudwarden.local;

import io.cloudwarden.model.Actor;

/** The person running the CLI, as recorded in the audit trail. */
final class LocalActor {
    private LocalActor() {
    }

    static Actor current() {
        String user = System.getProperty("user.name", "unknown");
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return new Actor("user", user, user, "cli@" + host);
    }
}
