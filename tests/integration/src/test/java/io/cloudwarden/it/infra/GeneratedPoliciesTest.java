package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.functions.permissions.PermissionRole;
import io.cloudwarden.functions.permissions.PermissionsGenerator;
import io.cloudwarden.functions.permissions.PolicyFormat;
import io.cloudwarden.local.Main;
import io.cloudwarden.model.Cloud;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy files Terraform deploys are exactly what the code declares today: a provider that gains or drops a
 * permission without the files being regenerated fails here, naming the command that regenerates them.
 */
class GeneratedPoliciesTest {
    private static final PermissionsGenerator GENERATOR = new PermissionsGenerator(ProviderRegistry.discover());

    /** Verbs that change something, by the way each cloud spells its permissions. */
    private static final Pattern AWS_WRITE = Pattern.compile("(Put|Create|Delete|Update|Modify|Revoke|Authorize|"
            + "Attach|Detach|Set|Enable|Disable|Tag|Untag|Add|Remove|Deactivate|Schedule|Cancel|Run|Terminate|Start|"
            + "Stop|Reboot|Replace|Associate|Disassociate|Import|Restore|Upload|Rotate|Encrypt|Decrypt|Sign|Pass|"
            + "Assume|Invoke|Send|Publish|Reset|Change|Upsert|Register|Deregister).*");
    private static final Pattern GCP_WRITE = Pattern.compile("(create|delete|update|patch|insert|set|disable|enable|"
            + "destroy|restore|undelete|actAs|sign|getAccessToken|implicitDelegation|add|remove|move|import|"
            + "encrypt|decrypt|publish|invoke|write|attach|detach|stop|start|reset|resize).*");

    static Stream<Arguments> policies() {
        return Stream.of(Cloud.values()).flatMap(c -> Stream.of(PermissionRole.values())
                .map(r -> Arguments.of(c, r)));
    }

    @ParameterizedTest(name = "infra/{0}/policies/{1}.json is what the code declares")
    @MethodSource("policies")
    void committedPolicyFileEqualsTheGeneratorsOutput(Cloud cloud, PermissionRole role) throws IOException {
        String relative = PermissionsGenerator.relativePolicyPath(cloud, role);
        Path file = Hcl.REPO.resolve(relative);
        String expected = GENERATOR.render(cloud, role, PolicyFormat.JSON);

        assertThat(Files.exists(file)).as(relative + " is missing; generate it with: "
                + PermissionsGenerator.command(cloud, role, PolicyFormat.JSON) + " --out " + relative).isTrue();
        assertThat(Files.readString(file))
                .as(relative + " differs from the permissions the code declares; regenerate it with: "
                        + PermissionsGenerator.command(cloud, role, PolicyFormat.JSON) + " --out " + relative)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "the {0} scanner only reads")
    @MethodSource("clouds")
    void theScannerRoleHoldsReadActionsOnly(Cloud cloud) {
        List<String> perms = GENERATOR.permissions(cloud, PermissionRole.SCANNER);

        assertThat(perms).isNotEmpty().allSatisfy(p -> assertThat(isWrite(cloud, p))
                .as("scanner permission %s of %s changes something", p, cloud).isFalse());
    }

    static Stream<Cloud> clouds() {
        return Stream.of(Cloud.values());
    }

    @Test
    void theWriteVerbCheckRecognisesEachCloudsWrites() {
        assertThat(isWrite(Cloud.AWS, "s3:PutBucketPolicy")).isTrue();
        assertThat(isWrite(Cloud.AWS, "ec2:RevokeSecurityGroupIngress")).isTrue();
        assertThat(isWrite(Cloud.AWS, "s3:GetBucketPolicy")).isFalse();
        assertThat(isWrite(Cloud.AZURE, "Microsoft.Storage/storageAccounts/write")).isTrue();
        assertThat(isWrite(Cloud.AZURE, "Microsoft.Storage/storageAccounts/listKeys/action")).isTrue();
        assertThat(isWrite(Cloud.AZURE, "Microsoft.Network/networkSecurityGroups/securityRules/delete")).isTrue();
        assertThat(isWrite(Cloud.AZURE, "Microsoft.Storage/storageAccounts/read")).isFalse();
        assertThat(isWrite(Cloud.AZURE, "User.Read.All")).isFalse();
        assertThat(isWrite(Cloud.AZURE, "Application.ReadWrite.All")).isTrue();
        assertThat(isWrite(Cloud.GCP, "storage.buckets.setIamPolicy")).isTrue();
        assertThat(isWrite(Cloud.GCP, "iam.serviceAccounts.actAs")).isTrue();
        assertThat(isWrite(Cloud.GCP, "storage.buckets.getIamPolicy")).isFalse();
    }

    /**
     * A verb that changes state; Azure reads are exactly the operations ending in {@code /read}, and Microsoft Graph
     * application permissions are reads exactly when they are {@code <Resource>.Read.<scope>}.
     */
    static boolean isWrite(Cloud cloud, String permission) {
        return switch (cloud) {
            case AWS -> AWS_WRITE.matcher(permission.substring(permission.indexOf(':') + 1)).matches();
            case AZURE -> permission.contains("/") ? !permission.toLowerCase(Locale.ROOT).endsWith("/read")
                    : !permission.matches("[A-Za-z]+\\.Read\\.[A-Za-z]+");
            case GCP -> GCP_WRITE.matcher(permission.substring(permission.lastIndexOf('.') + 1)).matches();
        };
    }

    @Test
    void theCommandPrintsTheCommittedFile() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "permissions", "--cloud", "gcp", "--role",
                "remediator");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(Files.readString(Hcl.REPO.resolve("infra/gcp/policies/remediator.json")));
    }

    @Test
    void theTerraformFormatListsTheSamePermissions() {
        StringWriter out = new StringWriter();

        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "permissions", "--cloud", "aws",
                "--role", "scanner", "--format", "terraform");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("data \"aws_iam_policy_document\" \"cloudwarden_scanner\"");
        assertThat(Hcl.strings(out.toString().substring(out.toString().indexOf("actions"))))
                .containsExactlyElementsOf(GENERATOR.permissions(Cloud.AWS, PermissionRole.SCANNER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueExitsTwoWithOneLineNamingTheOption(String option, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines().toList()).hasSize(1).first().asString()
                .startsWith("cloudwarden: " + option).contains("expected");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("--cloud", List.of("permissions", "--cloud", "oci", "--role", "scanner")),
                Arguments.of("--role", List.of("permissions", "--cloud", "aws", "--role", "admin")),
                Arguments.of("--format", List.of("permissions", "--cloud", "aws", "--role", "scanner", "--format",
                        "yaml")));
    }
}
