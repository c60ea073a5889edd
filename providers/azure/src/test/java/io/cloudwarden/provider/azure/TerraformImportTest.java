package io.cloudwarden.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.provider.azure.baseline.AzureBaselineMapper;
import org.junit.jupiter.api.Test;

/**
 * The import id of every Azure type, in the forms of the hashicorp/azurerm and hashicorp/azuread 3.x providers'
 * documentation (the "Import" section of each resource page).
 */
class TerraformImportTest {
    static final String RG = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-prod/providers/";
    static final String TENANT = "/tenants/7d3f2a1b-4c5e-4f60-8a9b-0c1d2e3f4a5b/";
    final AzureBaselineMapper mapper = new AzureBaselineMapper();

    TerraformImport importOf(String type, String id, ObjectNode attributes, ObjectNode raw) {
        return mapper.terraformImport(Resource.builder().cloud(Cloud.AZURE).account("sub").region("westeurope")
                .type(type).id(id).name("n").nativeType("x").attributes(attributes).raw(raw).build()).orElseThrow();
    }

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) ModelJson.mapper().readTree(text);
    }

    @Test
    void armResourcesByTheirArmId() throws Exception { // azurerm r/storage_account, r/network_security_group
        String account = RG + "Microsoft.Storage/storageAccounts/cwlogsprod";
        String nsg = RG + "Microsoft.Network/networkSecurityGroups/web-nsg";
        assertThat(importOf("storage.bucket", account, json("{}"), null))
                .isEqualTo(new TerraformImport.Importable("azurerm_storage_account", account));
        assertThat(importOf("network.firewall", nsg, json("{}"), null))
                .isEqualTo(new TerraformImport.Importable("azurerm_network_security_group", nsg));
    }

    @Test
    void aVirtualMachineByItsArmIdAsTheResourceTypeOfItsOs() throws Exception {
        String vm = RG + "Microsoft.Compute/virtualMachines/web-01";
        assertThat(importOf("compute.instance", vm, json("{}"),
                json("{\"properties\":{\"storageProfile\":{\"osDisk\":{\"osType\":\"Linux\"}}}}")))
                .isEqualTo(new TerraformImport.Importable("azurerm_linux_virtual_machine", vm));
        assertThat(importOf("compute.instance", vm, json("{}"),
                json("{\"properties\":{\"storageProfile\":{\"osDisk\":{\"osType\":\"Windows\"}}}}")))
                .isEqualTo(new TerraformImport.Importable("azurerm_windows_virtual_machine", vm));
        assertThat(importOf("compute.instance", vm, json("{}"), null))
                .isInstanceOf(TerraformImport.NotImportable.class);
    }

    @Test
    void aKeyVaultKeyByItsVersionedUrl() throws Exception {
        // azurerm r/key_vault_key: terraform import azurerm_key_vault_key.example "https://example-keyvault.vault.azure.net/keys/example/fdf0..."
        String url = "https://kv-cw-prod.vault.azure.net/keys/legacy-signing/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a59";
        assertThat(importOf("kms.key", RG + "Microsoft.KeyVault/vaults/kv-cw-prod/keys/legacy-signing", json("{}"),
                json("{\"properties\":{\"keyUriWithVersion\":\"" + url + "\"}}")))
                .isEqualTo(new TerraformImport.Importable("azurerm_key_vault_key", url));
        assertThat(importOf("kms.key", RG + "Microsoft.KeyVault/vaults/kv-cw-prod/keys/legacy-signing", json("{}"),
                null)).isInstanceOf(TerraformImport.NotImportable.class);
    }

    @Test
    void entraPrincipalsByTheirGraphPaths() throws Exception {
        // azuread 3.x r/user: "/users/00000000-..."; r/service_principal: "/servicePrincipals/00000000-..."
        assertThat(importOf("identity.user", TENANT + "users/a1b2c3d4-1111-4a2b-8c3d-222233334444", json("{}"), null))
                .isEqualTo(new TerraformImport.Importable("azuread_user", "/users/a1b2c3d4-1111-4a2b-8c3d-222233334444"));
        assertThat(importOf("identity.user", TENANT + "servicePrincipals/e1f2a3b4-5555-4e6f-8a7b-ccccddddeeee",
                json("{}"), null)).isEqualTo(new TerraformImport.Importable("azuread_service_principal",
                "/servicePrincipals/e1f2a3b4-5555-4e6f-8a7b-ccccddddeeee"));
    }

    @Test
    void certificatesImportButPasswordsCannot() throws Exception {
        // azuread r/application_certificate: "{ObjectId}/certificate/{CertificateKeyId}";
        // r/application_password: "This resource does not support importing."
        String id = TENANT + "applications/1a2b3c4d-9999-4e5f-8a6b-7c8d9e0f1a2b/credentials/4b7d9e1f-2a3c-4e5f-8a9b";
        assertThat(importOf("identity.key", id, json("{\"credentialType\":\"certificate\"}"), null))
                .isEqualTo(new TerraformImport.Importable("azuread_application_certificate",
                        "1a2b3c4d-9999-4e5f-8a6b-7c8d9e0f1a2b/certificate/4b7d9e1f-2a3c-4e5f-8a9b"));
        assertThat(importOf("identity.key", id, json("{\"credentialType\":\"password\"}"), null))
                .isInstanceOf(TerraformImport.NotImportable.class)
                .extracting(t -> ((TerraformImport.NotImportable) t).reason()).asString()
                .contains("does not support import");
    }
}
