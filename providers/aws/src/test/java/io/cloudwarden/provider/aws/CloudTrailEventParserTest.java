package io.cloudwarden.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloudTrailEventParserTest {
    private final CloudTrailEventParser parser = new CloudTrailEventParser(Optional.empty());

    static JsonNode event(String name) throws Exception {
        try (InputStream in = CloudTrailEventParserTest.class.getResourceAsStream("/events/aws/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void authorizeIngressFromAnywhereNamesTheGroupAndTheAssumedRole() throws Exception {
        JsonNode e = event("authorize-sg-ingress-open.json");
        assertThat(parser.accepts(e)).isTrue();

        ParsedEvents parsed = parser.parse(e);

        assertThat(parsed.scheduled()).isFalse();
        assertThat(parsed.events()).containsExactly(new ResourceEvent(Cloud.AWS, "111122223333", "us-east-1",
                ResourceTypes.NETWORK_FIREWALL, "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60001",
                new Actor("role", "arn:aws:iam::111122223333:role/PlatformEngineer", "PlatformEngineer",
                        "jdoe@example.com"),
                "ec2:AuthorizeSecurityGroupIngress", "6f0a1c52-8d2b-4c11-9a3e-2b7f5d9c0e41",
                Instant.parse("2026-11-23T09:58:10Z"), false));
    }

    @Test
    void putBucketPublicAccessBlockNamesTheBucketArnInItsRegion() throws Exception {
        ResourceEvent ev = parser.parse(event("put-bucket-public-access-block.json")).events().get(0);

        assertThat(ev.type()).isEqualTo(ResourceTypes.STORAGE_BUCKET);
        assertThat(ev.id()).isEqualTo("arn:aws:s3:::cw-public-assets");
        assertThat(ev.region()).isEqualTo("us-east-1");
        assertThat(ev.actor()).isEqualTo(new Actor("user", "arn:aws:iam::111122223333:user/alice", "alice", ""));
        assertThat(ev.action()).isEqualTo("s3:PutBucketPublicAccessBlock");
    }

    @Test
    void createAccessKeyNamesTheNewKeyById() throws Exception {
        ResourceEvent ev = parser.parse(event("create-access-key.json")).events().get(0);

        assertThat(ev.type()).isEqualTo(ResourceTypes.IDENTITY_KEY);
        assertThat(ev.id()).isEqualTo("AKIAI44QH8DHBNEWKEY1");
        assertThat(ev.region()).isEqualTo("global");
        assertThat(ev.deleted()).isFalse();
    }

    @Test
    void runInstancesYieldsOneEventPerLaunchedInstance() throws Exception {
        assertThat(parser.parse(event("run-instances.json")).events()).extracting(ResourceEvent::id).containsExactly(
                "arn:aws:ec2:us-east-1:111122223333:instance/i-0aaaa1111bbbb2222",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-0cccc3333dddd4444");
    }

    @Test
    void kmsKeyIdsBecomeKeyArns() throws Exception {
        assertThat(parser.parse(event("enable-key-rotation.json")).events()).extracting(ResourceEvent::id)
                .containsExactly("arn:aws:kms:us-east-1:111122223333:key/5f8e7d6c-5b4a-4392-8170-fedcba987654");
    }

    @Test
    void aFailedCallIsIgnoredWithItsErrorCode() throws Exception {
        ParsedEvents parsed = parser.parse(event("put-bucket-policy-denied.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("PutBucketPolicy").contains("AccessDenied");
    }

    @Test
    void anUnhandledEventNameIsIgnoredWithTheReason() throws Exception {
        ParsedEvents parsed = parser.parse(event("describe-instances-readonly.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("unhandled").contains("DescribeInstances");
    }

    @Test
    void eventsByTheRemediationRoleAreIgnoredAsALoopGuard() throws Exception {
        CloudTrailEventParser guarded = new CloudTrailEventParser(
                Optional.of("arn:aws:iam::111122223333:role/PlatformEngineer"));

        ParsedEvents parsed = guarded.parse(event("authorize-sg-ingress-open.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("loop guard");
        assertThat(guarded.parse(event("put-bucket-public-access-block.json")).events()).hasSize(1);
    }

    @Test
    void aConfigItemChangeNamesTheResourceWithoutAnActor() throws Exception {
        ResourceEvent ev = parser.parse(event("config-sg-change.json")).events().get(0);

        assertThat(ev.id()).isEqualTo("arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60001");
        assertThat(ev.actor()).isEqualTo(Actor.UNKNOWN);
        assertThat(ev.action()).isEqualTo("config:UPDATE");
        assertThat(ev.time()).isEqualTo(Instant.parse("2026-11-23T10:01:40.511Z"));
    }

    @Test
    void scheduledEventsFromRulesAndFromTheSchedulerWithAStringDetailAreTicks() throws Exception {
        assertThat(parser.parse(event("scheduled-event.json")).scheduled()).isTrue();
        JsonNode scheduler = event("scheduler-event-string-detail.json");
        assertThat(scheduler.get("detail").isTextual()).isTrue();
        assertThat(parser.accepts(scheduler)).isTrue();
        assertThat(parser.parse(scheduler).scheduled()).isTrue();
    }

    @Test
    void malformedEnvelopesNameTheMissingField() throws Exception {
        assertThatThrownBy(() -> parser.parse(event("malformed-missing-event-name.json")))
                .isInstanceOfSatisfying(EventParseException.class,
                        e -> assertThat(e.field()).isEqualTo("/detail/eventName"));
        assertThatThrownBy(() -> parser.parse(event("malformed-missing-detail.json")))
                .isInstanceOfSatisfying(EventParseException.class, e -> assertThat(e.field()).isEqualTo("/detail"));
    }

    @Test
    void foreignEnvelopesAreNotAccepted() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertThat(parser.accepts(m.readTree("{\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\"}"))).isFalse();
        assertThat(parser.accepts(m.readTree("{\"source\":\"custom.app\",\"detail-type\":\"Scheduled Event\"}")))
                .isFalse();
    }

    @Test
    void modifySecurityGroupRulesNamesTheGroupFromItsNestedRequest() throws Exception {
        ResourceEvent ev = parser.parse(event("modify-security-group-rules.json")).events().get(0);

        assertThat(ev.id()).isEqualTo("arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60002");
        assertThat(ev.action()).isEqualTo("ec2:ModifySecurityGroupRules");
    }

    @Test
    void aConfigDeletionIsADeletedEvent() throws Exception {
        ResourceEvent ev = parser.parse(event("config-sg-deleted.json")).events().get(0);

        assertThat(ev.id()).isEqualTo("arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60002");
        assertThat(ev.deleted()).isTrue();
        assertThat(ev.action()).isEqualTo("config:DELETE");
    }
}
