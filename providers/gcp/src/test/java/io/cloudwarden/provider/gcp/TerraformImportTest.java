package io.cloudwarden.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.provider.gcp.baseline.GcpBaselineMapper;
import org.junit.jupiter.api.Test;

/**
 * The import id of every GCP type, in the forms of the hashicorp/google provider's documentation (the "Import"
 * section of website/docs/r/&lt;name&gt;.html.markdown; the first, fully qualified form where several are accepted).
 */
class TerraformImportTest {
    final GcpBaselineMapper mapper = new GcpBaselineMapper();

    TerraformImport importOf(String type, String id, String name) {
        return mapper.terraformImport(Resource.builder().cloud(Cloud.GCP).account("cw-demo-prod").region("global")
                .type(type).id(id).name(name).nativeType("x").attributes(ModelJson.mapper().createObjectNode())
                .build()).orElseThrow();
    }

    @Test
    void bucketAsProjectSlashBucket() { // r/storage_bucket: "{{project_id}}/{{bucket}}"
        assertThat(importOf("storage.bucket", "//storage.googleapis.com/cw-demo-audit-logs", "cw-demo-audit-logs"))
                .isEqualTo(new TerraformImport.Importable("google_storage_bucket", "cw-demo-prod/cw-demo-audit-logs"));
    }

    @Test
    void firewallAndInstanceByTheirFullPaths() {
        // r/compute_firewall: "projects/{{project}}/global/firewalls/{{name}}"
        assertThat(importOf("network.firewall",
                "//compute.googleapis.com/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere", "x"))
                .isEqualTo(new TerraformImport.Importable("google_compute_firewall",
                        "projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere"));
        // r/compute_instance: "projects/{{project}}/zones/{{zone}}/instances/{{name}}"
        assertThat(importOf("compute.instance",
                "//compute.googleapis.com/projects/cw-demo-prod/zones/europe-west1-b/instances/batch-2", "batch-2"))
                .isEqualTo(new TerraformImport.Importable("google_compute_instance",
                        "projects/cw-demo-prod/zones/europe-west1-b/instances/batch-2"));
    }

    @Test
    void serviceAccountByItsEmailNotItsUniqueId() { // r/google_service_account: "projects/{{project_id}}/serviceAccounts/{{email}}"
        assertThat(importOf("identity.user",
                "//iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/118273645509128374655",
                "web-runtime@cw-demo-prod.iam.gserviceaccount.com"))
                .isEqualTo(new TerraformImport.Importable("google_service_account",
                        "projects/cw-demo-prod/serviceAccounts/web-runtime@cw-demo-prod.iam.gserviceaccount.com"));
    }

    @Test
    void cryptoKeyByKeyRingSlashCryptoKeys() { // r/kms_crypto_key: "{{key_ring}}/cryptoKeys/{{name}}"
        assertThat(importOf("kms.key",
                "//cloudkms.googleapis.com/projects/cw-demo-prod/locations/europe-west1/keyRings/storage/cryptoKeys/logs",
                "logs")).isEqualTo(new TerraformImport.Importable("google_kms_crypto_key",
                "projects/cw-demo-prod/locations/europe-west1/keyRings/storage/cryptoKeys/logs"));
    }

    @Test
    void serviceAccountKeysCannotBeImported() { // r/google_service_account_key: "This resource does not support import."
        assertThat(importOf("identity.key",
                "//iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/1048573/keys/3f1c2a9e", "3f1c2a9e"))
                .isInstanceOf(TerraformImport.NotImportable.class);
    }
}
