package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.local.Main;
import io.cloudwarden.model.ModelJson;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code codify} on the sandbox, checked by what consumes it: one import block per unmanaged resource of the three
 * clouds (as {@code drift} reports them), {@code terraform fmt -check}, and {@code terraform validate} of the AWS part
 * with the hashicorp/aws provider copy found on the machine, plus the provider's own schema
 * ({@code terraform providers schema -json}) knowing every resource type a block imports into — {@code validate}
 * alone does not check the {@code to} type of an import block without configuration.
 */
class CodifyTerraformTest {
    static final Pattern BLOCK = Pattern.compile("import \\{\\n  to = ([a-z0-9_]+)\\.([a-z0-9_]+)\\n  id = \"([^\"]*)\"\\n\\}");

    @TempDir
    static Path state;
    static String hcl;
    static JsonNode drift;

    @BeforeAll
    static void codifyTheSandbox() throws Exception {
        Run codify = cli("codify", "--sandbox");
        assertThat(codify.code()).as(codify.err()).isZero();
        hcl = codify.out();
        Run d = cli("drift", "--sandbox", "--format", "json");
        drift = ModelJson.mapper().readTree(d.out());
    }

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", state.toString()));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static Map<String, String> blocks(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            assertThat(out.put(m.group(1) + "." + m.group(2), m.group(3))).as("duplicate address").isNull();
        }
        return out;
    }

    private static final String SANDBOX_SCALE_SET = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/"
            + "resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachineScaleSets/api-vmss";

    @Test
    void oneImportBlockPerUnmanagedResourceOfTheThreeClouds() {
        List<String> unmanaged = new ArrayList<>();
        drift.path("drift").forEach(d -> {
            if (d.path("kind").asText().equals("unmanaged")) {
                unmanaged.add(d.path("resource").path("cloud").asText() + " " + d.path("resource").path("type")
                        .asText() + " " + d.path("resource").path("id").asText());
            }
        });

        assertThat(unmanaged).extracting(u -> u.split(" ")[0]).contains("aws", "azure", "gcp");
        assertThat(blocks(hcl)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "aws_s3_bucket.cw_legacy_acl", "cw-legacy-acl",
                "azurerm_key_vault_key.legacy_signing",
                "https://kv-cw-prod.vault.azure.net/keys/legacy-signing/0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a59",
                "google_compute_firewall.allow_ssh_anywhere", "projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere",
                "google_service_account.web_runtime",
                "projects/cw-demo-prod/serviceAccounts/web-runtime@cw-demo-prod.iam.gserviceaccount.com",
                // the sandbox's Uniform scale set (issue 15 load data): azurerm imports it by its ARM id
                "azurerm_linux_virtual_machine_scale_set.api_vmss", SANDBOX_SCALE_SET,
                // the sandbox's AWS Auto Scaling group (issue 15 load data): hashicorp/aws imports it by name
                "aws_autoscaling_group.cw_sandbox_workers", "cw-sandbox-workers"));
        assertThat(blocks(hcl)).hasSameSizeAs(unmanaged);
        for (String u : unmanaged) {
            assertThat(hcl).contains(u.split(" ", 2)[1]); // the comment above each block names the resource
        }
        assertThat(hcl).contains("# Changed outside Terraform: aws_kms_key.app (")
                .contains("#   azurerm_storage_account.min_tls_version: \"1.2\" -> \"1.0\"");
    }

    @Test
    void theOutputIsFormattedAsTerraformFmtWritesIt() throws Exception {
        Path terraform = terraform();
        Path file = Files.createTempDirectory("codify-fmt").resolve("imports.tf");
        Files.writeString(file, hcl);

        Result fmt = run(file.getParent(), Map.of(), terraform.toString(), "fmt", "-check", "-diff", file.toString());

        assertThat(fmt.code()).as("terraform fmt -check:\n%s", fmt.output()).isZero();
    }

    @Test
    void theAwsPartValidatesAndImportsOnlyIntoTypesTheProviderHas() throws Exception {
        Path terraform = terraform();
        Path mirror = Path.of(Optional.ofNullable(System.getenv("CLOUDWARDEN_TF_PLUGIN_MIRROR"))
                .orElse("/opt/tf-plugins"));
        assumeTrue(Files.isDirectory(mirror.resolve("registry.terraform.io/hashicorp/aws")),
                "no hashicorp/aws provider mirror at " + mirror + " (set CLOUDWARDEN_TF_PLUGIN_MIRROR)");
        Path dir = Files.createTempDirectory("codify-aws");
        StringBuilder aws = new StringBuilder("terraform {\n  required_providers {\n    aws = {\n"
                + "      source = \"hashicorp/aws\"\n    }\n  }\n}\n\nprovider \"aws\" {\n  region = \"us-east-1\"\n}\n");
        Map<String, String> awsBlocks = new HashMap<>();
        blocks(hcl).forEach((to, id) -> {
            if (to.startsWith("aws_")) {
                awsBlocks.put(to, id);
                aws.append("\nimport {\n  to = ").append(to).append("\n  id = \"").append(id).append("\"\n}\n");
            }
        });
        assertThat(awsBlocks).isNotEmpty();
        Files.writeString(dir.resolve("main.tf"), aws.toString());
        Path rc = dir.resolve("terraformrc");
        Files.writeString(rc, "provider_installation {\n  filesystem_mirror {\n    path    = \""
                + mirror.toString().replace("\\", "/") + "\"\n    include = [\"registry.terraform.io/hashicorp/*\"]\n"
                + "  }\n  direct {\n    exclude = [\"registry.terraform.io/hashicorp/*\"]\n  }\n}\n");
        Map<String, String> env = Map.of("TF_CLI_CONFIG_FILE", rc.toString(), "TF_IN_AUTOMATION", "1",
                "CHECKPOINT_DISABLE", "1");

        Result init = run(dir, env, terraform.toString(), "init", "-backend=false", "-input=false", "-no-color");
        assertThat(init.code()).as("terraform init:\n%s", init.output()).isZero();
        Result validate = run(dir, env, terraform.toString(), "validate", "-no-color");
        assertThat(validate.code()).as("terraform validate:\n%s", validate.output()).isZero();
        Result schema = run(dir, env, terraform.toString(), "providers", "schema", "-json");
        assertThat(schema.code()).as("terraform providers schema:\n%s", schema.output()).isZero();
        JsonNode resources = ModelJson.mapper().readTree(schema.output()).path("provider_schemas")
                .path("registry.terraform.io/hashicorp/aws").path("resource_schemas");
        for (String to : awsBlocks.keySet()) {
            assertThat(resources.has(to.substring(0, to.indexOf('.')))).as("the AWS provider has %s", to).isTrue();
        }
    }

    private static Path terraform() {
        Optional<Path> found = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(s -> Path.of(s, "terraform")).filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), "terraform is not on the PATH: the Terraform CLI checks are skipped");
        return found.get();
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Path errFile = Files.createTempFile("tf", ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        String err = Files.readString(errFile);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8) + err);
    }
}
