package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.functions.permissions.PermissionRole;
import io.cloudwarden.functions.permissions.PermissionsGenerator;
import io.cloudwarden.it.infra.Hcl.Block;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Only the audit writer can sign the audit trail's digests (docs/AUDIT.md): the generated audit-writer permissions
 * are signing only and disjoint from the scanner's; infra grants them on the one audit key; digests land in
 * write-once storage.
 */
class AuditSigningInfraTest {
    private static final PermissionsGenerator GENERATOR = new PermissionsGenerator(ProviderRegistry.discover());

    @ParameterizedTest
    @EnumSource(Cloud.class)
    void theScannerHoldsNoneOfTheAuditWritersSigningPermissions(Cloud cloud) {
        List<String> writer = GENERATOR.permissions(cloud, PermissionRole.AUDIT_WRITER);
        assertThat(writer).isNotEmpty().allSatisfy(p -> assertThat(p.toLowerCase()).contains("sign"));
        assertThat(GENERATOR.permissions(cloud, PermissionRole.SCANNER)).doesNotContainAnyElementsOf(writer);
        assertThat(GENERATOR.permissions(cloud, PermissionRole.REMEDIATOR)).doesNotContainAnyElementsOf(writer);
    }

    @Test
    void awsOnlyTheRemediatorRoleMaySignWithTheAuditKeyAndTheAccountCannotDelegateIt() throws Exception {
        Block doc = Hcl.blocks("aws", "aws_iam_policy_document").stream().filter(b -> b.name().equals("audit_key"))
                .findFirst().orElseThrow();
        JsonNode generated = ModelJson.mapper().readTree(Hcl.REPO.resolve("infra/aws/policies/audit-writer.json")
                .toFile());
        assertThat(generated.at("/Statement/0/Action").toString()).isEqualTo("[\"kms:Sign\"]");
        int signing = 0;
        for (String statement : doc.nested("statement")) {
            Map<String, String> s = Hcl.attributes(statement);
            String principals = String.join(" ", Hcl.nested(statement, "principals"));
            if (s.get("actions").equals("local.audit_writer_actions")) {
                signing++;
                assertThat(principals).contains("aws_iam_role.remediator.arn").doesNotContain("scanner");
            } else {
                assertThat(Hcl.strings(s.get("actions"))).as("no other statement can sign or grant everything")
                        .noneMatch(a -> a.equalsIgnoreCase("kms:Sign") || a.endsWith("*")
                                && "kms:sign".startsWith(a.substring(0, a.length() - 1).toLowerCase()));
            }
        }
        assertThat(signing).isEqualTo(1);
        assertThat(Hcl.locals("aws").get("audit_writer_actions"))
                .isEqualTo("jsondecode(file(\"${path.module}/policies/audit-writer.json\")).Statement[0].Action");
    }

    @Test
    void digestsGoToWriteOnceStorageInEachCloud() {
        Block lock = Hcl.blocks("aws", "aws_s3_bucket_object_lock_configuration").get(0);
        assertThat(lock.body()).contains("mode = \"COMPLIANCE\"");
        assertThat(Hcl.blocks("aws", "aws_s3_bucket").stream().filter(b -> b.name().equals("audit_digests"))
                .findFirst().orElseThrow().attribute("object_lock_enabled")).isEqualTo("true");
        Block azure = Hcl.blocks("azure", "azurerm_storage_container_immutability_policy").get(0);
        assertThat(azure.attribute("locked")).isEqualTo("true");
        Block gcs = Hcl.blocks("gcp", "google_storage_bucket").stream().filter(b -> b.name().equals("audit_digests"))
                .findFirst().orElseThrow();
        assertThat(gcs.nested("retention_policy")).singleElement()
                .satisfies(r -> assertThat(Hcl.attributes(r)).containsEntry("is_locked", "true"));
    }

    @Test
    void azureAndGcpBindTheAuditWriterRoleOnTheAuditKeyOnly() {
        Block azure = Hcl.blocks("azure", "azurerm_role_assignment").stream()
                .filter(b -> b.name().equals("audit_writer")).findFirst().orElseThrow();
        assertThat(azure.attribute("scope")).contains("azurerm_key_vault_key.audit.name");
        Block gcp = Hcl.blocks("gcp", "google_kms_crypto_key_iam_member").get(0);
        assertThat(gcp.attribute("crypto_key_id")).isEqualTo("google_kms_crypto_key.audit.id");
        assertThat(gcp.attribute("member")).isEqualTo("google_service_account.remediator.member");
        assertThat(Hcl.blocks("gcp", "google_project_iam_member"))
                .noneMatch(b -> b.attribute("role").contains("audit_writer"));
    }
}
