package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Secrets never enter Terraform state, and every deployed HTTP surface declares how {@code /scan} callers are
 * authenticated (the app refuses {@code /scan} without a scheme).
 */
class SecretsAndHttpAuthTest {
    private static final List<String> SECRET_VALUE_READS = List.of("aws_secretsmanager_secret_version",
            "azurerm_key_vault_secret", "google_secret_manager_secret_version");

    @Test
    void noModuleReadsASecretsValueIntoState() {
        for (String cloud : List.of("aws", "azure", "gcp")) {
            assertThat(Hcl.blocks(cloud)).as("infra/" + cloud + " reads a secret value at deploy time (it would be in "
                    + "the state)").noneMatch(b -> b.kind().equals("data") && SECRET_VALUE_READS.contains(b.type()));
        }
    }

    @Test
    void theAwsHttpFunctionGetsSecretArnsOnlyAndMayReadJustThose() {
        String env = Hcl.locals("aws").get("secret_env");
        assertThat(env).as("local.secret_env").isNotNull().contains("_ARN");
        assertThat(String.join("\n", Hcl.module("aws").values())).doesNotContain("secret_string");
        var documents = Hcl.blocks("aws", "aws_iam_policy_document").stream()
                .filter(d -> d.body().contains("secretsmanager:GetSecretValue")).toList();
        assertThat(documents).hasSize(1);
        assertThat(documents.get(0).body()).contains("values(local.secret_arns)").doesNotContain("\"*\"");
    }

    @Test
    void azureHttpCallersNeedAFunctionKeyAndTheAppIsToldSo() throws Exception {
        String functionJson = java.nio.file.Files.readString(Hcl.REPO.resolve(
                "functions/azure/src/main/azure-functions/http/function.json"));
        assertThat(functionJson).contains("\"authLevel\": \"function\"");
        assertThat(String.join("\n", Hcl.module("azure").values())).contains("CLOUDWARDEN_HTTP_AUTH");
    }

    @Test
    void gcpDeclaresPlatformAuthOnlyOnServicesThatAreNotPublic() {
        String main = String.join("\n", Hcl.module("gcp").values());
        assertThat(main).contains("CLOUDWARDEN_HTTP_AUTH");
        assertThat(main).containsPattern("local\\.services\\[each\\.key]\\.public \\? \\{} : "
                + "\\{ CLOUDWARDEN_HTTP_AUTH = \"platform\" }");
    }
}
