package io.cloudwarden.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ProviderContractTest {
    private final CloudProvider provider = ServiceLoader.load(CloudProvider.class).stream()
            .map(ServiceLoader.Provider::get).filter(p -> p.cloud() == Cloud.AWS).findFirst().orElseThrow();

    @Test
    void theProviderIsDiscoveredByServiceLoader() {
        assertThat(provider).isInstanceOf(AwsProvider.class);
        assertThat(provider.eventParsers()).isNotEmpty();
        assertThat(provider.baselineMapper().terraformTypes()).contains("aws_s3_bucket", "aws_security_group",
                "aws_vpc_security_group_ingress_rule", "aws_instance", "aws_iam_user", "aws_iam_access_key",
                "aws_kms_key");
    }

    @Test
    void descriptorTypesAreUniqueKnownAndCoverEveryType() {
        List<String> types = provider.descriptors().stream().map(ResourceDescriptor::type).toList();
        assertThat(types).doesNotHaveDuplicates().allMatch(ResourceTypes::isKnown);
        assertThat(types).containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(provider.unsupportedTypes()).isEmpty();
    }

    private static final java.util.Map<String, Set<String>> READ_ALSO = java.util.Map.of(
            ResourceTypes.COMPUTE_INSTANCE, Set.of("cloudwatch", "autoscaling"),
            ResourceTypes.COMPUTE_GROUP, Set.of("cloudwatch", "autoscaling"));

    @Test
    void everyDescriptorDeclaresExactIamReadActions() {
        for (AwsType t : AwsProvider.TYPES) {
            ResourceDescriptor d = t.descriptor();
            // a type reads through the services whose CloudTrail calls it declares (e.g. kms.amazonaws.com → kms:)
            Set<String> services = t.cloudTrailCalls().stream()
                    .map(c -> c.source().replace(".amazonaws.com", "")).collect(Collectors.toCollection(
                            java.util.HashSet::new));
            // the reads that are not the type's own service: utilization from CloudWatch, group membership and
            // Auto Scaling groups (whose CloudTrail calls name no ARN, so the type declares none)
            services.addAll(READ_ALSO.getOrDefault(d.type(), Set.of()));
            assertThat(d.readPermissions()).as(d.type()).isNotEmpty().doesNotHaveDuplicates()
                    .allMatch(p -> p.matches("[a-z0-9-]+:[A-Z][A-Za-z0-9]+"), "service:Action")
                    .allMatch(p -> services.contains(p.substring(0, p.indexOf(':'))),
                            "a service of the type's declared CloudTrail calls " + services);
            assertThat(d.nativeType()).startsWith("AWS::");
        }
    }

    @Test
    void theDescriptorsAreTheDeclaredTypesOnceEach() {
        assertThat(provider.descriptors()).extracting(ResourceDescriptor::type).containsExactlyElementsOf(
                AwsProvider.TYPES.stream().map(t -> t.descriptor().type()).toList());
        List<String> calls = AwsProvider.TYPES.stream().flatMap(t -> t.cloudTrailCalls().stream())
                .map(AwsType.Call::key).toList();
        assertThat(calls).as("a CloudTrail call routes to one type").doesNotHaveDuplicates();
    }

    @Test
    void remediatorsHaveUniqueActionIdsPermissionsAndKnownTypes() {
        List<Remediator> rs = provider.remediators();
        assertThat(rs).extracting(Remediator::actionId).doesNotHaveDuplicates()
                .contains("storage.bucket/block-public-access", "storage.bucket/enable-encryption",
                        "network.firewall/revoke-internet-ingress", "identity.key/deactivate",
                        "kms.key/enable-rotation", "storage.bucket/tag");
        for (Remediator r : rs) {
            assertThat(r.permissions()).as(r.actionId()).isNotEmpty()
                    .allMatch(p -> p.matches("[a-z0-9-]+:[A-Z][A-Za-z0-9]+"));
            assertThat(ResourceTypes.isKnown(r.appliesTo())).as(r.actionId()).isTrue();
            assertThat(r.actionId()).startsWith(r.appliesTo() + "/");
            assertThat(r.description()).isNotBlank();
        }
    }
}
