package io.cloudwarden.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.compute.instance.InstanceNormalizer;
import io.cloudwarden.provider.gcp.identity.key.ServiceAccountKeyNormalizer;
import io.cloudwarden.provider.gcp.identity.user.ServiceAccountCollector;
import io.cloudwarden.provider.gcp.identity.user.ServiceAccountNormalizer;
import io.cloudwarden.provider.gcp.kms.key.CryptoKeyNormalizer;
import io.cloudwarden.provider.gcp.network.firewall.FirewallNormalizer;
import io.cloudwarden.provider.gcp.storage.bucket.BucketNormalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    static JsonNode asset(String fixture, int index) throws Exception {
        return ModelJson.mapper().readTree(RecordedApi.recorded("cai/" + fixture)).path("assets").get(index);
    }

    static NativeItem item(JsonNode asset) {
        return new NativeItem(asset.path("name").asText(), "cw-demo-prod", AssetJson.location(asset),
                asset.deepCopy());
    }

    static JsonNode json(String s) throws Exception {
        return ModelJson.mapper().readTree(s);
    }

    @Test
    void publicBucketIsPublicProviderEncryptedUnversionedUnlogged() throws Exception {
        ObjectNode a = (ObjectNode) asset("buckets-page1.json", 0).deepCopy();
        a.set("iamPolicy", asset("buckets-iam.json", 0).get("iamPolicy"));

        Normalized n = new BucketNormalizer().normalize(item(a));

        assertThat(n.name()).isEqualTo("cw-demo-public-assets");
        assertThat(n.tags()).containsEntry("env", "prod").containsEntry("team", "web");
        assertThat(n.attributes()).isEqualTo(json("""
                {"publicAccess": true, "encryption": {"enabled": true, "keyType": "provider-managed"},
                 "versioning": false, "minTlsVersion": null, "logging": false}"""));
    }

    @Test
    void enforcedPreventionOverridesAPublicBindingAndCmekVersioningLoggingAreSeen() throws Exception {
        ObjectNode a = (ObjectNode) asset("buckets-page2.json", 0).deepCopy();
        a.set("iamPolicy", asset("buckets-iam.json", 1).get("iamPolicy"));

        assertThat(new BucketNormalizer().normalize(item(a)).attributes()).isEqualTo(json("""
                {"publicAccess": false, "encryption": {"enabled": true, "keyType": "customer-managed"},
                 "versioning": true, "minTlsVersion": null, "logging": true}"""));
    }

    @Test
    void bucketWithoutPolicyIsNotPublic() throws Exception {
        assertThat(new BucketNormalizer().normalize(item(asset("buckets-page1.json", 0))).attributes()
                .path("publicAccess").asBoolean()).isFalse();
    }

    @Test
    void firewallRulesSplitPerPortRangeAndOpenIngressIsListed() throws Exception {
        Normalized n = new FirewallNormalizer().normalize(item(asset("firewalls.json", 0)));

        assertThat(n.name()).isEqualTo("allow-ssh-anywhere");
        assertThat(n.attributes()).isEqualTo(json("""
                {"rules": [
                  {"direction": "ingress", "action": "allow", "protocol": "tcp", "fromPort": 22, "toPort": 22, "ranges": ["0.0.0.0/0"]},
                  {"direction": "ingress", "action": "allow", "protocol": "tcp", "fromPort": 1000, "toPort": 2000, "ranges": ["0.0.0.0/0"]},
                  {"direction": "ingress", "action": "allow", "protocol": "icmp", "fromPort": null, "toPort": null, "ranges": ["0.0.0.0/0"]}],
                 "internetIngress": [
                  {"protocol": "tcp", "fromPort": 22, "toPort": 22},
                  {"protocol": "tcp", "fromPort": 1000, "toPort": 2000},
                  {"protocol": "icmp", "fromPort": null, "toPort": null}]}"""));
    }

    @Test
    void disabledRuleKeepsItsRulesButOpensNothing() throws Exception {
        JsonNode attrs = new FirewallNormalizer().normalize(item(asset("firewalls.json", 1))).attributes();

        assertThat(attrs.path("rules")).hasSize(1);
        assertThat(attrs.at("/rules/0/protocol").asText()).isEqualTo("all");
        assertThat(attrs.at("/rules/0/ranges")).hasSize(2);
        assertThat(attrs.path("internetIngress")).isEmpty();
    }

    @Test
    void egressDenyUsesDestinationRangesAndProtocolNumbers() throws Exception {
        JsonNode attrs = new FirewallNormalizer().normalize(item(asset("firewalls.json", 2))).attributes();

        assertThat(attrs.path("rules")).isEqualTo(json("""
                [{"direction": "egress", "action": "deny", "protocol": "tcp", "fromPort": 25, "toPort": 25,
                  "ranges": ["0.0.0.0/0"]}]"""));
        assertThat(attrs.path("internetIngress")).isEmpty();
    }

    @Test
    void hardenedCmekInstanceWithExternalIp() throws Exception {
        Normalized n = new InstanceNormalizer().normalize(item(asset("instances.json", 0)));

        assertThat(n.name()).isEqualTo("web-1");
        assertThat(n.tags()).containsEntry("env", "prod");
        assertThat(n.attributes()).isEqualTo(json("""
                {"state": "running", "publicIp": "34.122.10.45", "imageId": null,
                 "identity": "web-runtime@cw-demo-prod.iam.gserviceaccount.com",
                 "diskEncryption": true, "metadataHardened": true, "os": null, "patch": null,
                 "utilization": null, "group": null}"""));
    }

    @Test
    void plainInstanceHasNoIpNoIdentityNoCmekAndIsNotHardened() throws Exception {
        assertThat(new InstanceNormalizer().normalize(item(asset("instances.json", 1))).attributes()).isEqualTo(json("""
                {"state": "terminated", "publicIp": null, "imageId": null, "identity": null,
                 "diskEncryption": false, "metadataHardened": false, "os": null, "patch": null,
                 "utilization": null, "group": null}"""));
    }

    @Test
    void serviceAccountIsAdminOnlyWithOwnerOrEditorAtProjectLevel() throws Exception {
        ObjectNode deployer = (ObjectNode) asset("service-accounts.json", 0).deepCopy();
        deployer.putArray(ServiceAccountCollector.PROJECT_ROLES).add("roles/editor");
        ObjectNode runtime = (ObjectNode) asset("service-accounts.json", 1).deepCopy();
        runtime.putArray(ServiceAccountCollector.PROJECT_ROLES).add("roles/logging.logWriter");

        Normalized admin = new ServiceAccountNormalizer().normalize(item(deployer));
        assertThat(admin.name()).isEqualTo("deployer@cw-demo-prod.iam.gserviceaccount.com");
        assertThat(admin.attributes()).isEqualTo(json("""
                {"mfaEnabled": null, "admin": true, "consoleAccess": false, "lastUsedAt": null, "enabled": true}"""));
        assertThat(new ServiceAccountNormalizer().normalize(item(runtime)).attributes().path("admin").asBoolean())
                .isFalse();
        assertThat(new ServiceAccountNormalizer().normalize(item(asset("service-accounts.json", 0))).attributes()
                .path("admin").asBoolean()).as("no project policy available").isFalse();
    }

    @Test
    void aDisabledServiceAccountIsNotEnabled() throws Exception {
        ObjectNode sa = (ObjectNode) asset("service-accounts.json", 1).deepCopy();
        ((ObjectNode) sa.at("/resource/data")).put("disabled", true);

        assertThat(new ServiceAccountNormalizer().normalize(item(sa)).attributes().path("enabled").asBoolean(true))
                .isFalse();
    }

    @Test
    void kmsKeyScheduledForDestructionOrAsymmetric() throws Exception {
        ObjectNode pending = (ObjectNode) asset("crypto-keys.json", 0).deepCopy();
        ((ObjectNode) pending.at("/resource/data/primary")).put("state", "DESTROY_SCHEDULED");
        assertThat(new CryptoKeyNormalizer().normalize(item(pending)).attributes()).isEqualTo(json("""
                {"enabled": false, "rotationEnabled": true, "rotationPeriodDays": 90,
                 "pendingDeletion": true, "rotationSupported": true}"""));
        ObjectNode signing = (ObjectNode) asset("crypto-keys.json", 1).deepCopy();
        ((ObjectNode) signing.at("/resource/data")).put("purpose", "ASYMMETRIC_SIGN");
        assertThat(new CryptoKeyNormalizer().normalize(item(signing)).attributes().path("rotationSupported")
                .asBoolean(true)).isFalse();
    }

    @Test
    void userManagedKeyAgeAndOwner() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

        Normalized n = new ServiceAccountKeyNormalizer(clock).normalize(item(asset("keys.json", 0)));

        assertThat(n.name()).isEqualTo("3f1c2a9e8b7d6c5f4e3d2c1b0a998877");
        assertThat(n.attributes()).isEqualTo(json("""
                {"active": true, "createdAt": "2025-11-18T09:00:00Z", "ageDays": 370, "lastUsedAt": null,
                 "owner": "deployer@cw-demo-prod.iam.gserviceaccount.com"}"""));
    }

    @Test
    void expiredOrDisabledKeysAreInactive() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
        assertThat(new ServiceAccountKeyNormalizer(clock).normalize(item(asset("keys.json", 1))).attributes()
                .path("active").asBoolean()).as("past validBeforeTime").isFalse();
        ObjectNode disabled = (ObjectNode) asset("keys.json", 0).deepCopy();
        ((ObjectNode) disabled.at("/resource/data")).put("disabled", true);
        assertThat(new ServiceAccountKeyNormalizer(clock).normalize(item(disabled)).attributes()
                .path("active").asBoolean()).isFalse();
    }

    @Test
    void badNativeValuesNameTheFieldAndWhatWasExpected() throws Exception {
        ObjectNode fw = (ObjectNode) asset("firewalls.json", 0).deepCopy();
        ((ObjectNode) fw.at("/resource/data/allowed/0")).putArray("ports").add("ssh");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FirewallNormalizer().normalize(item(fw)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ports")
                .hasMessageContaining("\"N-M\"").hasMessageContaining("ssh");
        ObjectNode key = (ObjectNode) asset("keys.json", 0).deepCopy();
        ((ObjectNode) key.at("/resource/data")).put("validAfterTime", "last tuesday");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServiceAccountKeyNormalizer().normalize(item(key)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validAfterTime")
                .hasMessageContaining("RFC 3339");
    }

    @Test
    void kmsKeyRotationAndPrimaryState() throws Exception {
        assertThat(new CryptoKeyNormalizer().normalize(item(asset("crypto-keys.json", 0))).attributes())
                .isEqualTo(json("""
                        {"enabled": true, "rotationEnabled": true, "rotationPeriodDays": 90,
                         "pendingDeletion": false, "rotationSupported": true}"""));
        Normalized disks = new CryptoKeyNormalizer().normalize(item(asset("crypto-keys.json", 1)));
        assertThat(disks.name()).isEqualTo("disks");
        assertThat(disks.tags()).containsEntry("team", "platform");
        assertThat(disks.attributes()).isEqualTo(json("""
                {"enabled": false, "rotationEnabled": false, "rotationPeriodDays": null,
                 "pendingDeletion": false, "rotationSupported": true}"""));
    }
}
