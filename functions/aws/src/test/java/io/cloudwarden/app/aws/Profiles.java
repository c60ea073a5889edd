package io.cloudwarden.app.aws;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One Quarkus start per Lambda handler, each selecting its handler with {@code quarkus.lambda.handler}. */
final class Profiles {
    static final String REMEDIATION_ROLE = "arn:aws:iam::111122223333:role/cloudwarden-remediate";
    static final String HTTP_TOKEN = "test-http-token-0001";
    static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    /** The work queue, served by the same WireMock (the endpoint override applies to SQS too). */
    static final String QUEUE = "${cloudwarden.aws.endpoint}/111122223333/cloudwarden-work";

    private Profiles() {
    }

    abstract static class Handler implements QuarkusTestProfile {
        abstract String handler();

        Map<String, String> settings() {
            return Map.of();
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(settings());
            m.put("quarkus.lambda.handler", handler());
            return m;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AwsWireMock.class));
        }

        static String rules(String name) {
            try {
                return Path.of(Profiles.class.getResource("/rules/" + name).toURI()).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Scheduled scans with the built-in rule pack, remediation requests to the SQS work queue (as deployed). */
    public static final class Schedule extends Handler {
        @Override
        String handler() {
            return "schedule";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("cloudwarden.aws.queue-url", QUEUE);
        }
    }

    /**
     * Scheduled scans remediating in process (no work queue, dry run), the invocations' spans exported by OTLP to a
     * local receiver ({@link OtlpReceiver}), as the ADOT collector layer receives them on Lambda.
     */
    public static final class ScheduleTraced extends Handler {
        @Override
        String handler() {
            return "schedule";
        }

        @Override
        Map<String, String> settings() {
            // a scan's first invocation builds the runtime: on a busy build machine it can outlast the default 30 s
            return Map.of("quarkus.http.test-timeout", "180s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AwsWireMock.class), new TestResourceEntry(OtlpReceiver.class));
        }
    }

    /** Events, acting: apply on, SSH-to-the-internet revoked automatically, our own role's events ignored. */
    public static final class Events extends Handler {
        @Override
        String handler() {
            return "events";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("cloudwarden.apply", "true", "cloudwarden.policies", rules("auto-revoke-ssh.yaml"),
                    "cloudwarden.aws.remediationRoleArn", REMEDIATION_ROLE);
        }
    }

    /** Events with remediation requests sent to an SQS work queue (WireMock speaking the SQS JSON protocol). */
    public static final class EventsToQueue extends Handler {
        @Override
        String handler() {
            return "events";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("cloudwarden.apply", "true", "cloudwarden.policies", rules("auto-revoke-ssh.yaml"),
                    "cloudwarden.aws.queue-url", QUEUE);
        }
    }

    /** The work-queue consumer, dry run (the default). */
    public static final class Queue extends Handler {
        @Override
        String handler() {
            return "queue";
        }
    }

    public static final class Http extends Handler {
        @Override
        String handler() {
            return "http";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("cloudwarden.http.token", HTTP_TOKEN, "cloudwarden.slack.signing.secret", SLACK_SECRET,
                    "cloudwarden.chatops.default-role", "viewer");
        }
    }

    /** The http function as deployed with a work queue: long chat commands go to the queue. */
    public static final class HttpWithQueue extends Handler {
        @Override
        String handler() {
            return "http";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("cloudwarden.slack.signing.secret", SLACK_SECRET, "cloudwarden.chatops.roles.operator",
                    "slack:T0A1B2C3D:U0A1B2C3D4E", "cloudwarden.aws.queue-url", QUEUE);
        }
    }

    /** The queue function running deferred chat commands; response_url may be the WireMock server. */
    public static final class QueueChat extends Handler {
        @Override
        String handler() {
            return "queue";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("cloudwarden.chatops.roles.operator", "slack:T0A1B2C3D:U0A1B2C3D4E",
                    "cloudwarden.aws.queue-url", QUEUE,
                    "cloudwarden.slack.response-url-prefixes", "${cloudwarden.aws.endpoint}/commands/");
        }
    }
}
