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

    public static final class Schedule extends Handler {
        @Override
        String handler() {
            return "schedule";
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
                    "cloudwarden.aws.queue-url", "${cloudwarden.aws.endpoint}/111122223333/cloudwarden-work");
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
            return Map.of("cloudwarden.http.token", HTTP_TOKEN);
        }
    }
}
