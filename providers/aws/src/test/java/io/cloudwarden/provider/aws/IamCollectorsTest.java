package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.identity.key.AccessKeyCollector;
import io.cloudwarden.provider.aws.identity.key.AccessKeyNormalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IamCollectorsTest extends RecordedApi {
    static final Clock OBSERVED = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void usersAcrossMarkerPagesWithMfaConsoleAndAdminFromGroupsOrInlinePolicies() {
        stubIamEstate();

        List<Resource> users = scan(descriptor(ResourceTypes.IDENTITY_USER), Shard.GLOBAL);

        assertThat(users).extracting(Resource::id).containsExactly("arn:aws:iam::111122223333:user/alice",
                "arn:aws:iam::111122223333:user/automation/ci-deployer");
        assertThat(users).extracting(Resource::region).containsOnly("global");
        Resource alice = users.get(0);
        assertThat(alice.tags()).containsEntry("team", "platform");
        // admin through the Admins group's AdministratorAccess
        assertThat(alice.attributes().toString()).isEqualTo("{\"mfaEnabled\":true,\"admin\":true,"
                + "\"consoleAccess\":true,\"lastUsedAt\":\"2026-11-20T08:30:00Z\",\"enabled\":true}");
        // admin through an inline Action * / Resource * policy; the customer-managed policy is not admin
        Resource ci = users.get(1);
        assertThat(ci.attributes().toString()).isEqualTo("{\"mfaEnabled\":false,\"admin\":true,"
                + "\"consoleAccess\":false,\"lastUsedAt\":null,\"enabled\":true}");
        assertThat(ci.raw().at("/AttachedPolicies/0/PolicyDocument").asText()).contains("s3%3APutObject");
    }

    @Test
    void accessKeysWithAgeStatusLastUseAndOwner() {
        stubIamEstate();
        ResourceDescriptor d = keys();

        List<NativeItem> items = new ArrayList<>();
        d.collector().collect(session, new Shard(Cloud.AWS, ACCOUNT, Shard.GLOBAL, d.type()), items::add);
        List<Resource> keys = items.stream().map(i -> toResource(d, i)).toList();

        assertThat(keys).extracting(Resource::id).containsExactly("AKIAIOSFODNN7ALICE01", "AKIAI44QH8DHBCIDEPL1");
        assertThat(keys.get(0).attributes().toString()).isEqualTo("{\"active\":true,"
                + "\"createdAt\":\"2025-11-23T10:00:00Z\",\"ageDays\":365,\"lastUsedAt\":\"2026-11-22T17:45:00Z\","
                + "\"owner\":\"alice\"}");
        assertThat(keys.get(1).attributes().toString()).isEqualTo("{\"active\":false,"
                + "\"createdAt\":\"2023-06-01T00:00:00Z\",\"ageDays\":1271,\"lastUsedAt\":null,"
                + "\"owner\":\"ci-deployer\"}");
    }

    @Test
    void iamThrottlingIsRetried() {
        stubIamEstate();
        wm.stubFor(query("ListAccessKeys").atPriority(1).inScenario("t").whenScenarioStateIs(STARTED)
                .willReturn(xml(400, "iam/throttling.xml")).willSetStateTo("ok"));
        ResourceDescriptor d = keys();

        List<NativeItem> items = new ArrayList<>();
        d.collector().collect(session, new Shard(Cloud.AWS, ACCOUNT, Shard.GLOBAL, d.type()), items::add);

        assertThat(items).hasSize(2);
        // one ListAccessKeys per user plus one retry per throttle served; the two users are read concurrently, so
        // both may meet the throttle before the scenario moves on
        long throttles = wm.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString()
                .contains("Action=ListAccessKeys") && e.getResponse().getStatus() == 400).count();
        assertThat(throttles).isBetween(1L, 2L);
        wm.verify((int) (2 + throttles), postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=ListAccessKeys")));
    }

    @Test
    void fetchFindsAKeyThroughItsLastUsedOwner() {
        stubIamEstate();

        var item = keys().collector().fetch(session, new ResourceRef(Cloud.AWS, ACCOUNT, Shard.GLOBAL,
                ResourceTypes.IDENTITY_KEY, "AKIAI44QH8DHBCIDEPL1"));

        assertThat(item).get().extracting(NativeItem::id).isEqualTo("AKIAI44QH8DHBCIDEPL1");
    }

    private static ResourceDescriptor keys() {
        ResourceDescriptor d = descriptor(ResourceTypes.IDENTITY_KEY);
        return new ResourceDescriptor(d.type(), d.nativeType(), d.scope(), d.capabilities(), d.readPermissions(),
                new AccessKeyCollector(OBSERVED), new AccessKeyNormalizer());
    }
}
