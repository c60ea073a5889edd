package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.it.infra.Hcl.Block;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The identities in {@code infra/} reach the estate ONLY through the generated policies. Anything else they hold is
 * runtime plumbing from a short, named list, and every plumbing grant names this module's own resources (never
 * {@code *}). Broad managed roles (AdministratorAccess, Owner, Contributor, Editor, …) appear nowhere.
 */
class LeastPrivilegeTest {
    /** AWS actions a function needs to run at all: its logs, its state objects, its queues, invoking itself. */
    private static final Set<String> AWS_RUNTIME_ACTIONS = Set.of("logs:CreateLogStream", "logs:PutLogEvents",
            "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "sqs:SendMessage",
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility",
            "lambda:InvokeFunction", "sts:AssumeRole", "secretsmanager:GetSecretValue", "xray:PutTraceSegments",
            "xray:PutTelemetryRecords");
    /** X-Ray's segment APIs (Lambda active tracing) have no resource types: "*" is the only resource they take. */
    private static final Set<String> AWS_UNSCOPED_ACTIONS = Set.of("xray:PutTraceSegments",
            "xray:PutTelemetryRecords");
    private static final Pattern AWS_GENERATED = Pattern.compile(
            "file\\(\"\\$\\{path\\.module}/(\\.\\./\\.\\./)?policies/(scanner|remediator)\\.json\"\\)");
    private static final Pattern BROAD = Pattern.compile("(?i)AdministratorAccess|PowerUserAccess|arn:aws:iam::aws:"
            + "policy|\"Owner\"|\"Contributor\"|User Access Administrator|roles/owner|roles/editor|roles/viewer|"
            + "roles/iam\\.securityAdmin|roles/resourcemanager");

    @Test
    void noModuleMentionsABroadBuiltInRole() {
        for (String cloud : List.of("aws", "azure", "gcp")) {
            Hcl.module(cloud).forEach((file, text) -> assertThat(BROAD.matcher(text).find())
                    .as("%s grants a broad built-in role or managed policy", Hcl.REPO.relativize(file)).isFalse());
        }
    }

    @Test
    void awsManagedPoliciesAreTheGeneratedFiles() {
        List<Block> policies = Hcl.blocks("aws", "aws_iam_policy");

        assertThat(policies).extracting(Block::name).containsExactlyInAnyOrder("scanner", "remediator");
        for (Block p : policies) {
            assertThat(p.attribute("policy")).as(p.address())
                    .isEqualTo("file(\"${path.module}/policies/" + p.name() + ".json\")");
        }
    }

    @Test
    void awsRolesAttachOnlyTheGeneratedPolicies() {
        for (Block a : Hcl.blocks("aws", "aws_iam_role_policy_attachment")) {
            assertThat(a.attribute("policy_arn")).as(a.address())
                    .isIn("aws_iam_policy.scanner.arn", "aws_iam_policy.remediator.arn");
        }
        assertThat(Hcl.blocks("aws", "aws_iam_role_policy_attachment")).extracting(b -> b.attribute("role") + " <- "
                + b.attribute("policy_arn")).containsExactlyInAnyOrder(
                "aws_iam_role.scanner.name <- aws_iam_policy.scanner.arn",
                "aws_iam_role.remediator.name <- aws_iam_policy.scanner.arn",
                "aws_iam_role.remediator.name <- aws_iam_policy.remediator.arn");
    }

    @Test
    void awsInlinePoliciesAreGeneratedOrRuntimePlumbingOnNamedResources() {
        Map<String, Block> documents = new java.util.HashMap<>();
        Hcl.blocks("aws", "aws_iam_policy_document").forEach(d -> documents.put(d.name(), d));
        List<Block> inline = Hcl.blocks("aws", "aws_iam_role_policy");
        assertThat(inline).isNotEmpty();

        for (Block p : inline) {
            String policy = p.attribute("policy");
            if (AWS_GENERATED.matcher(policy).matches()) {
                continue;
            }
            assertThat(policy).as(p.address() + ": an inline policy is a generated file or a policy document")
                    .matches("data\\.aws_iam_policy_document\\.[a-z_]+(\\[0])?\\.json");
            String name = policy.replaceAll("data\\.aws_iam_policy_document\\.([a-z_]+).*", "$1");
            assertThat(documents).as(p.address() + " uses a policy document that does not exist").containsKey(name);
        }
    }

    @Test
    void everyAwsAllowStatementIsRuntimePlumbingOnNamedResources() {
        List<Block> documents = Hcl.blocks("aws", "aws_iam_policy_document");
        assertThat(documents).isNotEmpty();
        for (Block d : documents) {
            if (d.name().equals("audit_key")) {
                continue; // the audit key's key policy: AuditSigningInfraTest
            }
            for (String statement : d.nested("statement")) {
                Map<String, String> s = Hcl.attributes(statement);
                String effect = Hcl.strings(s.getOrDefault("effect", "")).stream().findFirst().orElse("");
                assertThat(effect).as(d.address() + ": every statement states its effect").isIn("Allow", "Deny");
                if (effect.equals("Deny")) {
                    continue;
                }
                List<String> actions = Hcl.strings(s.getOrDefault("actions", ""));
                assertThat(actions).as(d.address() + " grants actions outside the generated policies")
                        .isNotEmpty().allSatisfy(a -> assertThat(AWS_RUNTIME_ACTIONS).contains(a));
                boolean trust = !Hcl.nested(statement, "principals").isEmpty();
                if (!trust) {
                    String resources = s.getOrDefault("resources", "");
                    assertThat(resources).as(d.address() + ": a runtime grant names its resources").isNotBlank();
                    if (AWS_UNSCOPED_ACTIONS.containsAll(actions)) {
                        assertThat(Hcl.strings(resources)).as(d.address()).containsExactly("*");
                        continue;
                    }
                    assertThat(Hcl.strings(resources)).as(d.address() + ": a runtime grant never reaches *")
                            .noneMatch(r -> r.equals("*") || r.endsWith(":*:*"));
                }
            }
        }
    }

    @Test
    void awsJsonEncodedPoliciesAreTrustPoliciesOnly() {
        for (Block b : Hcl.blocks("aws")) {
            String body = b.body();
            if (body.contains("jsonencode(") && body.contains("Action")) {
                List<String> actions = Pattern.compile("Action\\s*=\\s*\"([^\"]+)\"").matcher(body).results()
                        .map(m -> m.group(1)).toList();
                assertThat(actions).as(b.address() + ": an encoded policy may only let a principal assume a role")
                        .isNotEmpty().containsOnly("sts:AssumeRole");
                assertThat(body).contains("Principal");
            }
        }
    }

    @Test
    void azureCustomRolesAreTheGeneratedFiles() {
        Map<String, String> locals = Hcl.locals("azure");
        assertThat(locals.get("scanner_role")).isEqualTo("jsondecode(file(\"${path.module}/policies/scanner.json\"))");
        assertThat(locals.get("remediator_role"))
                .isEqualTo("jsondecode(file(\"${path.module}/policies/remediator.json\"))");

        assertThat(locals.get("audit_writer_role"))
                .isEqualTo("jsondecode(file(\"${path.module}/policies/audit-writer.json\"))");

        List<Block> roles = Hcl.blocks("azure", "azurerm_role_definition");
        assertThat(roles).extracting(Block::name).containsExactlyInAnyOrder("scanner", "remediator", "audit_writer");
        for (Block r : roles) {
            String local = "local." + r.name() + "_role.";
            Map<String, String> permissions = Hcl.attributes(r.nested("permissions").get(0));
            assertThat(permissions).as(r.address()).containsOnly(
                    Map.entry("actions", local + "Actions"), Map.entry("not_actions", local + "NotActions"),
                    Map.entry("data_actions", local + "DataActions"),
                    Map.entry("not_data_actions", local + "NotDataActions"));
        }
    }

    @Test
    void azureAssignmentsAreTheGeneratedRolesOrDataRolesOnThisModulesResources() {
        List<Block> assignments = Hcl.blocks("azure", "azurerm_role_assignment");
        assertThat(assignments).isNotEmpty();
        for (Block a : assignments) {
            Map<String, String> attrs = a.attributes();
            if (attrs.containsKey("role_definition_id")) {
                assertThat(attrs.get("role_definition_id")).as(a.address()).isIn(
                        "azurerm_role_definition.scanner.role_definition_resource_id",
                        "azurerm_role_definition.remediator.role_definition_resource_id",
                        "azurerm_role_definition.audit_writer.role_definition_resource_id");
                continue;
            }
            String builtIn = Hcl.strings(attrs.getOrDefault("role_definition_name", "")).get(0);
            assertThat(builtIn).as(a.address() + ": built-in roles are runtime data roles only")
                    .isIn("Storage Blob Data Contributor", "Key Vault Secrets User");
            assertThat(attrs.get("scope")).as(a.address() + ": a runtime role is scoped to one resource")
                    .isIn("azurerm_storage_container.state.id", "azurerm_storage_container.audit_digests.id",
                            "var.chatops_key_vault_id");
        }
    }

    @Test
    void gcpCustomRolesAreTheGeneratedFiles() {
        Map<String, String> locals = Hcl.locals("gcp");
        assertThat(locals.get("scanner_role")).isEqualTo("jsondecode(file(\"${path.module}/policies/scanner.json\"))");
        assertThat(locals.get("remediator_role"))
                .isEqualTo("jsondecode(file(\"${path.module}/policies/remediator.json\"))");
        assertThat(locals.get("audit_writer_role"))
                .isEqualTo("jsondecode(file(\"${path.module}/policies/audit-writer.json\"))");
        List<Block> roles = Hcl.blocks("gcp", "google_project_iam_custom_role");
        assertThat(roles).extracting(Block::name).containsExactlyInAnyOrder("scanner", "remediator", "audit_writer");
        roles.forEach(r -> assertThat(r.attribute("permissions")).as(r.address())
                .isEqualTo("local." + r.name() + "_role.includedPermissions"));
    }

    @Test
    void gcpProjectBindingsAreTheGeneratedRolesAndEventarcsReceiverRole() {
        for (Block b : Hcl.blocks("gcp", "google_project_iam_member")) {
            if (b.name().equals("telemetry")) {
                // Cloudwarden's own metrics and spans: write-only roles that exist only at project level
                assertThat(b.body()).as(b.address()).contains("\"roles/monitoring.metricWriter\"",
                        "\"roles/cloudtrace.agent\"").doesNotContainPattern("roles/(?!monitoring\\.metricWriter|"
                        + "cloudtrace\\.agent)[a-zA-Z.]+\"");
                assertThat(b.attribute("role")).isEqualTo("each.value.role");
                continue;
            }
            assertThat(b.attribute("role")).as(b.address() + ": project-wide grants are the generated roles only "
                    + "(plus Eventarc's receiver role, which exists only at project level)").isIn(
                    "google_project_iam_custom_role.scanner.name", "google_project_iam_custom_role.remediator.name",
                    "\"roles/eventarc.eventReceiver\"");
        }
        assertThat(Hcl.blocks("gcp")).noneMatch(b -> b.type().startsWith("google_project_iam_binding")
                || b.type().startsWith("google_project_iam_policy") || b.type().startsWith("google_organization_iam"));
    }

    @Test
    void gcpResourceBindingsArePlumbingRolesOnThisModulesResources() {
        Map<String, Set<String>> allowed = Map.of(
                "google_storage_bucket_iam_member", Set.of("roles/storage.objectUser"),
                "google_pubsub_topic_iam_member", Set.of("roles/pubsub.publisher"),
                "google_pubsub_subscription_iam_member", Set.of("roles/pubsub.subscriber"),
                "google_cloud_run_v2_service_iam_member", Set.of("roles/run.invoker"),
                "google_secret_manager_secret_iam_member", Set.of("roles/secretmanager.secretAccessor"),
                "google_service_account_iam_member", Set.of("roles/iam.serviceAccountTokenCreator"));
        for (Block b : Hcl.blocks("gcp")) {
            if (!b.type().endsWith("_iam_member") || b.type().equals("google_project_iam_member")) {
                continue;
            }
            if (b.type().equals("google_kms_crypto_key_iam_member")) {
                assertThat(b.attribute("role")).as(b.address() + ": on a key, only the generated audit-writer role")
                        .isEqualTo("google_project_iam_custom_role.audit_writer.name");
                continue;
            }
            assertThat(allowed).as(b.address() + ": an IAM binding on a kind of resource this module does not own")
                    .containsKey(b.type());
            assertThat(Hcl.strings(b.attribute("role"))).as(b.address()).hasSize(1)
                    .allSatisfy(r -> assertThat(allowed.get(b.type())).contains(r));
        }
    }
}
