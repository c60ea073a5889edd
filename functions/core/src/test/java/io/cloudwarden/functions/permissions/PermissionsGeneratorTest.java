package io.cloudwarden.functions.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void scannerIsTheSortedDeduplicatedUnionOfEveryDescriptorsReadPermissions() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:ListAllMyBuckets", "s3:GetBucketPolicy")
                .descriptor(ResourceTypes.IDENTITY_USER, "iam:ListUsers", "iam:GetUser")
                .descriptor(ResourceTypes.IDENTITY_KEY, "iam:ListUsers", "iam:ListAccessKeys")
                .remediator("storage.bucket/block-public-access", "s3:PutBucketPublicAccessBlock"));

        assertThat(gen.permissions(Cloud.AWS, PermissionRole.SCANNER)).containsExactly(
                "iam:GetUser", "iam:ListAccessKeys", "iam:ListUsers", "s3:GetBucketPolicy", "s3:ListAllMyBuckets");
    }

    @Test
    void remediatorIsExactlyTheUnionOfTheRemediatorsPermissionsWithoutAnyReadPermission() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:ListAllMyBuckets")
                .remediator("storage.bucket/block-public-access", "s3:PutBucketPublicAccessBlock")
                .remediator("storage.bucket/encrypt", "s3:PutEncryptionConfiguration")
                .remediator("storage.bucket/tag", "s3:PutBucketTagging", "s3:PutBucketPublicAccessBlock"));

        assertThat(gen.permissions(Cloud.AWS, PermissionRole.REMEDIATOR)).containsExactly(
                "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:PutEncryptionConfiguration");
    }

    @Test
    void awsActionsDifferingOnlyInCaseAreOneAction() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:GetBucketAcl")
                .descriptor(ResourceTypes.KMS_KEY, "s3:getbucketacl", "kms:ListKeys"));

        assertThat(gen.permissions(Cloud.AWS, PermissionRole.SCANNER)).containsExactly("kms:ListKeys",
                "s3:GetBucketAcl");
    }

    @Test
    void awsRendersAnIamPolicyDocumentWithOneAllowStatement() throws Exception {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.KMS_KEY, "kms:ListKeys", "kms:DescribeKey"));

        JsonNode doc = JSON.readTree(gen.render(Cloud.AWS, PermissionRole.SCANNER, PolicyFormat.JSON));

        assertThat(doc.path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(doc.path("Statement")).hasSize(1);
        JsonNode st = doc.path("Statement").get(0);
        assertThat(st.path("Sid").asText()).isEqualTo("CloudwardenScanner");
        assertThat(st.path("Effect").asText()).isEqualTo("Allow");
        assertThat(st.path("Resource").asText()).isEqualTo("*");
        assertThat(texts(st.path("Action"))).containsExactly("kms:DescribeKey", "kms:ListKeys");
    }

    @Test
    void azureRendersACustomRoleAndKeepsDataPlaneOperationsOutOfActions() throws Exception {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AZURE)
                .descriptor(ResourceTypes.KMS_KEY, "Microsoft.KeyVault/vaults/read")
                .remediator("kms.key/rotate", "Microsoft.KeyVault/vaults/keys/update/action")
                .remediator("storage.bucket/tls", "Microsoft.Storage/storageAccounts/write"));

        JsonNode role = JSON.readTree(gen.render(Cloud.AZURE, PermissionRole.REMEDIATOR, PolicyFormat.JSON));

        assertThat(role.path("Name").asText()).isEqualTo("Cloudwarden Remediator");
        assertThat(role.path("IsCustom").asBoolean()).isTrue();
        assertThat(role.path("Description").asText()).isNotBlank();
        assertThat(texts(role.path("Actions"))).containsExactly("Microsoft.Storage/storageAccounts/write");
        assertThat(texts(role.path("DataActions"))).containsExactly("Microsoft.KeyVault/vaults/keys/update/action");
        assertThat(role.path("NotActions")).isEmpty();
        assertThat(role.path("NotDataActions")).isEmpty();
        assertThat(texts(role.path("AssignableScopes"))).containsExactly("/subscriptions/{subscriptionId}");
    }

    @Test
    void azureControlPlaneReadsOfKeysAndContainersStayActions() {
        assertThat(PermissionsGenerator.isAzureDataAction("Microsoft.KeyVault/vaults/keys/read")).isFalse();
        assertThat(PermissionsGenerator.isAzureDataAction(
                "Microsoft.Storage/storageAccounts/blobServices/containers/read")).isFalse();
        assertThat(PermissionsGenerator.isAzureDataAction(
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read")).isTrue();
    }

    @Test
    void gcpRendersACustomRole() throws Exception {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.GCP)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "storage.buckets.get", "cloudasset.assets.listResource")
                .descriptor(ResourceTypes.NETWORK_FIREWALL, "cloudasset.assets.listResource",
                        "compute.firewalls.get"));

        JsonNode role = JSON.readTree(gen.render(Cloud.GCP, PermissionRole.SCANNER, PolicyFormat.JSON));

        assertThat(role.path("title").asText()).isEqualTo("Cloudwarden Scanner");
        assertThat(role.path("stage").asText()).isEqualTo("GA");
        assertThat(role.path("description").asText()).isNotBlank();
        assertThat(texts(role.path("includedPermissions"))).containsExactly("cloudasset.assets.listResource",
                "compute.firewalls.get", "storage.buckets.get");
    }

    @Test
    void terraformFormatDeclaresTheSameListAndHowToRegenerateIt() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.GCP)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "storage.buckets.get", "storage.buckets.getIamPolicy"));

        String hcl = gen.render(Cloud.GCP, PermissionRole.SCANNER, PolicyFormat.TERRAFORM);

        assertThat(hcl).startsWith("# Generated by `cloudwarden permissions --cloud gcp --role scanner --format "
                + "terraform`")
                .contains("resource \"google_project_iam_custom_role\" \"cloudwarden_scanner\" {")
                .contains("  permissions = [\n    \"storage.buckets.get\",\n    \"storage.buckets.getIamPolicy\",\n"
                        + "  ]\n");
    }

    @Test
    void awsTerraformIsAPolicyDocumentDataSource() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:ListAllMyBuckets")
                .remediator("storage.bucket/encrypt", "s3:PutEncryptionConfiguration"));

        String hcl = gen.render(Cloud.AWS, PermissionRole.REMEDIATOR, PolicyFormat.TERRAFORM);

        assertThat(hcl).contains("data \"aws_iam_policy_document\" \"cloudwarden_remediator\" {")
                .contains("\"s3:PutEncryptionConfiguration\",").doesNotContain("s3:ListAllMyBuckets");
    }

    @Test
    void renderingIsDeterministicWhateverTheDeclarationOrder() {
        PermissionsGenerator a = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:GetBucketAcl", "ec2:DescribeInstances")
                .descriptor(ResourceTypes.KMS_KEY, "kms:ListKeys"));
        PermissionsGenerator b = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.KMS_KEY, "kms:ListKeys")
                .descriptor(ResourceTypes.STORAGE_BUCKET, "ec2:DescribeInstances", "s3:GetBucketAcl"));

        assertThat(a.render(Cloud.AWS, PermissionRole.SCANNER, PolicyFormat.JSON))
                .isEqualTo(b.render(Cloud.AWS, PermissionRole.SCANNER, PolicyFormat.JSON))
                .endsWith("}\n");
    }

    @Test
    void aWildcardPermissionIsRefusedNamingWhoDeclaredIt() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:ListAllMyBuckets")
                .remediator("storage.bucket/everything", "s3:*"));

        assertThatThrownBy(() -> gen.permissions(Cloud.AWS, PermissionRole.REMEDIATOR))
                .isInstanceOf(PermissionsException.class)
                .hasMessageContaining("remediator 'storage.bucket/everything'")
                .hasMessageContaining("'s3:*' is a wildcard");
    }

    @Test
    void aPermissionOfAnotherCloudsSyntaxIsRefused() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.GCP)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:GetBucketAcl"));

        assertThatThrownBy(() -> gen.permissions(Cloud.GCP, PermissionRole.SCANNER))
                .isInstanceOf(PermissionsException.class)
                .hasMessage("gcp descriptor 'storage.bucket': permission 's3:GetBucketAcl' is not a GCP permission "
                        + "such as storage.buckets.get");
    }

    @Test
    void aProviderWithoutRemediatorsHasNoRemediatorPolicy() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AZURE)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "Microsoft.Storage/storageAccounts/read"));

        assertThatThrownBy(() -> gen.permissions(Cloud.AZURE, PermissionRole.REMEDIATOR))
                .isInstanceOf(PermissionsException.class)
                .hasMessageContaining("declares no remediator permissions");
    }

    @Test
    void anUnregisteredCloudIsNamed() {
        PermissionsGenerator gen = generator(new StubProvider(Cloud.AWS)
                .descriptor(ResourceTypes.STORAGE_BUCKET, "s3:ListAllMyBuckets"));

        assertThatThrownBy(() -> gen.permissions(Cloud.GCP, PermissionRole.SCANNER))
                .isInstanceOf(PermissionsException.class)
                .hasMessageContaining("no provider registered for cloud gcp");
    }

    @Test
    void roleAndFormatNamesAreParsedOrRejectedWithTheAcceptedValues() {
        assertThat(PermissionRole.parse("Scanner")).isEqualTo(PermissionRole.SCANNER);
        assertThat(PolicyFormat.parse("terraform")).isEqualTo(PolicyFormat.TERRAFORM);
        assertThatThrownBy(() -> PermissionRole.parse("admin")).isInstanceOf(PermissionsException.class)
                .hasMessage("--role: expected one of scanner, remediator, audit-writer but was 'admin'");
        assertThatThrownBy(() -> PolicyFormat.parse("yaml")).isInstanceOf(PermissionsException.class)
                .hasMessage("--format: expected one of json, terraform but was 'yaml'");
    }

    @Test
    void theRegenerationCommandNamesCloudRoleAndNonDefaultFormat() {
        assertThat(PermissionsGenerator.command(Cloud.AZURE, PermissionRole.REMEDIATOR, PolicyFormat.JSON))
                .isEqualTo("cloudwarden permissions --cloud azure --role remediator");
        assertThat(PermissionsGenerator.command(Cloud.AWS, PermissionRole.SCANNER, PolicyFormat.TERRAFORM))
                .isEqualTo("cloudwarden permissions --cloud aws --role scanner --format terraform");
    }

    private static PermissionsGenerator generator(CloudProvider provider) {
        return new PermissionsGenerator(ProviderRegistry.of(List.of(provider)));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A provider that only declares permissions: nothing here is ever collected or applied. */
    private static final class StubProvider implements CloudProvider {
        private final Cloud cloud;
        private final List<ResourceDescriptor> descriptors = new ArrayList<>();
        private final Map<String, List<String>> remediators = new LinkedHashMap<>();

        StubProvider(Cloud cloud) {
            this.cloud = cloud;
        }

        StubProvider descriptor(String type, String... permissions) {
            ResourceCollector never = new ResourceCollector() {
                @Override
                public void collect(ProviderSession session, io.cloudwarden.engine.spi.Shard shard,
                        java.util.function.Consumer<io.cloudwarden.engine.spi.NativeItem> sink) {
                    throw new UnsupportedOperationException("not collected in permission tests");
                }

                @Override
                public Optional<io.cloudwarden.engine.spi.NativeItem> fetch(ProviderSession session,
                        io.cloudwarden.model.ResourceRef ref) {
                    throw new UnsupportedOperationException("not fetched in permission tests");
                }
            };
            descriptors.add(new ResourceDescriptor(type, "Native::" + type, Scope.ACCOUNT, Set.of(Capability.LIST),
                    List.of(permissions), never, item -> {
                        throw new UnsupportedOperationException("not normalized in permission tests");
                    }));
            return this;
        }

        StubProvider remediator(String actionId, String... permissions) {
            remediators.put(actionId, List.of(permissions));
            return this;
        }

        @Override
        public Cloud cloud() {
            return cloud;
        }

        @Override
        public List<ResourceDescriptor> descriptors() {
            return descriptors;
        }

        @Override
        public List<Remediator> remediators() {
            List<Remediator> out = new ArrayList<>();
            remediators.forEach((id, perms) -> out.add(new Remediator() {
                @Override
                public String actionId() {
                    return id;
                }

                @Override
                public String appliesTo() {
                    return id.substring(0, id.indexOf('/'));
                }

                @Override
                public List<String> permissions() {
                    return perms;
                }

                @Override
                public RemediationPlan.Risk risk() {
                    return RemediationPlan.Risk.LOW;
                }

                @Override
                public String description() {
                    return "stub " + id;
                }

                @Override
                public Optional<PlannedChange> plan(Resource current) {
                    return Optional.empty();
                }

                @Override
                public void apply(ProviderSession session, RemediationPlan plan) {
                    throw new UnsupportedOperationException("not applied in permission tests");
                }
            }));
            return out;
        }

        @Override
        public List<EventParser> eventParsers() {
            return List.of();
        }

        @Override
        public BaselineMapper baselineMapper() {
            return new BaselineMapper() {
                @Override
                public Set<String> terraformTypes() {
                    return Set.of();
                }

                @Override
                public BaselineResult map(List<TerraformInstance> instances) {
                    throw new UnsupportedOperationException("no baseline in permission tests");
                }
            };
        }

        @Override
        public Map<String, String> unsupportedTypes() {
            return Map.of();
        }

        @Override
        public ProviderSession open(ProviderConfig config) {
            throw new UnsupportedOperationException("no session in permission tests");
        }
    }
}
