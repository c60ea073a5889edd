package io.cloudwarden.functions.permissions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.RegistryException;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Least-privilege permission sets generated from the code: for one cloud and one {@link PermissionRole}, the sorted,
 * de-duplicated union of what the registered providers declare ({@link ResourceDescriptor#readPermissions()} for the
 * scanner, {@link Remediator#permissions()} for the remediator), rendered as that cloud's policy document or as a
 * Terraform snippet.
 *
 * <p>Decisions:
 * <ul>
 * <li>Every permission is checked against its cloud's syntax and wildcards are refused: a provider declaring
 * {@code s3:*} or {@code Microsoft.Storage/*} would silently widen the deployed roles.</li>
 * <li>AWS actions and Azure operations are case-insensitive in their clouds, so they are de-duplicated ignoring case
 * (the first spelling in sort order wins); GCP permissions are case-sensitive.</li>
 * <li>Azure separates control-plane {@code Actions} from data-plane {@code DataActions}, and a role definition with a
 * data action under {@code Actions} is rejected at deploy time. Key Vault key/secret/certificate operations ending in
 * {@code /action} (e.g. {@code Microsoft.KeyVault/vaults/keys/update/action}) and blob / queue-message operations are
 * data actions; everything else is a control-plane action.</li>
 * <li>Output is byte-for-byte deterministic (sorted lists, fixed field order, {@code \n} line ends) so a committed
 * copy can be compared with a fresh one.</li>
 * </ul>
 */
public final class PermissionsGenerator {
    /** The placeholder Azure role definitions carry until Terraform substitutes the real subscription. */
    public static final String AZURE_SCOPE_PLACEHOLDER = "/subscriptions/{subscriptionId}";

    private static final Map<Cloud, Pattern> SYNTAX = Map.of(
            Cloud.AWS, Pattern.compile("[a-z0-9-]+:[A-Za-z0-9]+"),
            Cloud.AZURE, Pattern.compile("[A-Za-z0-9]+(\\.[A-Za-z0-9]+)+(/[A-Za-z0-9._-]+)+"
                    + "|[A-Z][A-Za-z]+(\\.[A-Z][A-Za-z]+){1,3}"),
            Cloud.GCP, Pattern.compile("[a-z0-9]+(\\.[A-Za-z0-9]+){2,}"));
    private static final Map<Cloud, String> EXPECTED = Map.of(
            Cloud.AWS, "an IAM action such as s3:GetBucketPolicy",
            Cloud.AZURE, "an Azure operation such as Microsoft.Storage/storageAccounts/read or a Microsoft Graph application permission such as User.Read.All",
            Cloud.GCP, "a GCP permission such as storage.buckets.get");
    private static final Pattern AZURE_DATA_ACTION = Pattern.compile(
            "(?i)microsoft\\.keyvault/vaults/(keys|secrets|certificates)/.+/action"
                    + "|microsoft\\.storage/storageaccounts/.*/(blobs|messages|files|entities)(/.*)?");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderRegistry registry;

    public PermissionsGenerator(ProviderRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The command that regenerates one committed file. */
    public static String command(Cloud cloud, PermissionRole role, PolicyFormat format) {
        return "cloudwarden permissions --cloud " + cloud.id() + " --role " + role.id()
                + (format == PolicyFormat.JSON ? "" : " --format " + format.id());
    }

    /**
     * The sorted, de-duplicated permissions of {@code role} on {@code cloud}.
     *
     * @throws PermissionsException when no provider is registered for the cloud, when there is nothing to grant, or
     *         when a declared permission is not a valid non-wildcard permission of the cloud (naming who declared it)
     */
    public List<String> permissions(Cloud cloud, PermissionRole role) {
        CloudProvider provider;
        try {
            provider = registry.require(cloud);
        } catch (RegistryException e) {
            throw new PermissionsException("--cloud: " + e.getMessage());
        }
        Comparator<String> order = cloud == Cloud.GCP ? Comparator.naturalOrder()
                : String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());
        TreeMap<String, String> unique = new TreeMap<>(cloud == Cloud.GCP ? Comparator.naturalOrder()
                : String.CASE_INSENSITIVE_ORDER);
        List<String> all = new ArrayList<>();
        if (role == PermissionRole.SCANNER) {
            for (ResourceDescriptor d : provider.descriptors()) {
                for (String p : d.readPermissions()) {
                    all.add(check(cloud, p, "descriptor '" + d.type() + "'"));
                }
            }
        } else if (role == PermissionRole.AUDIT_WRITER) {
            for (String p : provider.auditWriterPermissions()) {
                all.add(check(cloud, p, "audit signer"));
            }
        } else {
            for (Remediator r : provider.remediators()) {
                for (String p : r.permissions()) {
                    all.add(check(cloud, p, "remediator '" + r.actionId() + "'"));
                }
            }
        }
        all.sort(order);
        for (String p : all) {
            unique.putIfAbsent(p, p);
        }
        if (unique.isEmpty()) {
            throw new PermissionsException("--role " + role.id() + ": the " + cloud.id() + " provider declares no "
                    + (role == PermissionRole.SCANNER ? "descriptor" : role == PermissionRole.AUDIT_WRITER
                            ? "audit signer" : "remediator") + " permissions to grant");
        }
        return List.copyOf(unique.values());
    }

    private static String check(Cloud cloud, String permission, String who) {
        String p = permission == null ? "" : permission.trim();
        if (p.contains("*")) {
            throw new PermissionsException(cloud.id() + " " + who + ": permission '" + p
                    + "' is a wildcard; expected " + EXPECTED.get(cloud) + " (least privilege)");
        }
        if (!SYNTAX.get(cloud).matcher(p).matches()) {
            throw new PermissionsException(cloud.id() + " " + who + ": permission '" + p + "' is not "
                    + EXPECTED.get(cloud));
        }
        return p;
    }

    /**
     * Whether an Azure permission is a Microsoft Graph application permission ({@code User.Read.All}) rather than an
     * Azure RBAC operation: Graph permissions are app-role assignments on the Microsoft Graph service principal, not
     * part of a custom role, and are rendered apart ({@code GraphApplicationPermissions}).
     */
    public static boolean isGraphPermission(String permission) {
        return !permission.contains("/");
    }

    /** Whether an Azure operation belongs under {@code DataActions} rather than {@code Actions}. */
    public static boolean isAzureDataAction(String operation) {
        return AZURE_DATA_ACTION.matcher(operation).matches();
    }

    /** The permission set rendered in {@code format}; ends with a newline. */
    public String render(Cloud cloud, PermissionRole role, PolicyFormat format) {
        List<String> perms = permissions(cloud, role);
        return format == PolicyFormat.JSON ? json(cloud, role, perms) : terraform(cloud, role, perms);
    }

    private static String json(Cloud cloud, PermissionRole role, List<String> perms) {
        ObjectNode doc = JSON.createObjectNode();
        switch (cloud) {
            case AWS -> {
                doc.put("Version", "2012-10-17");
                ObjectNode statement = doc.putArray("Statement").addObject();
                statement.put("Sid", "Cloudwarden" + role.title());
                statement.put("Effect", "Allow");
                array(statement.putArray("Action"), perms);
                statement.put("Resource", "*");
            }
            case AZURE -> {
                doc.put("Name", "Cloudwarden " + role.title());
                doc.put("IsCustom", true);
                doc.put("Description", role.description());
                List<String> rbac = perms.stream().filter(p -> !isGraphPermission(p)).toList();
                array(doc.putArray("Actions"), rbac.stream().filter(p -> !isAzureDataAction(p)).toList());
                doc.putArray("NotActions");
                array(doc.putArray("DataActions"), rbac.stream().filter(PermissionsGenerator::isAzureDataAction)
                        .toList());
                doc.putArray("NotDataActions");
                doc.putArray("AssignableScopes").add(AZURE_SCOPE_PLACEHOLDER);
                List<String> graph = perms.stream().filter(PermissionsGenerator::isGraphPermission).toList();
                if (!graph.isEmpty()) {
                    // Not part of the role definition: infra/azure assigns these as Graph app roles.
                    array(doc.putArray("GraphApplicationPermissions"), graph);
                }
            }
            case GCP -> {
                doc.put("title", "Cloudwarden " + role.title());
                doc.put("description", role.description());
                doc.put("stage", "GA");
                array(doc.putArray("includedPermissions"), perms);
            }
            default -> throw new PermissionsException("--cloud: unsupported cloud " + cloud);
        }
        return pretty(doc);
    }

    /**
     * {@code "key": value}, {@code []} for empty lists, two-space indent, {@code \n} line ends and a final newline:
     * the layout most policy files are written in, and the one every JSON document of the CLI uses
     * ({@code ModelJson.pretty()}); every generated file under {@code infra/} uses it.
     */
    static String pretty(ObjectNode doc) {
        try {
            return ModelJson.pretty().writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void array(ArrayNode node, List<String> values) {
        values.forEach(node::add);
    }

    private static String terraform(Cloud cloud, PermissionRole role, List<String> perms) {
        String name = "cloudwarden_" + role.id();
        StringBuilder hcl = new StringBuilder();
        hcl.append("# Generated by `").append(command(cloud, role, PolicyFormat.TERRAFORM))
                .append("`: do not edit.\n");
        switch (cloud) {
            case AWS -> {
                hcl.append("data \"aws_iam_policy_document\" \"").append(name).append("\" {\n");
                hcl.append("  statement {\n");
                hcl.append("    sid       = \"Cloudwarden").append(role.title()).append("\"\n");
                hcl.append("    effect    = \"Allow\"\n");
                hcl.append("    resources = [\"*\"]\n");
                list(hcl, "    ", "actions", perms);
                hcl.append("  }\n}\n");
            }
            case AZURE -> {
                String scope = "/subscriptions/${var.subscription_id}";
                hcl.append("resource \"azurerm_role_definition\" \"").append(name).append("\" {\n");
                hcl.append("  name        = \"Cloudwarden ").append(role.title()).append("\"\n");
                hcl.append("  description = \"").append(role.description()).append("\"\n");
                hcl.append("  scope       = \"").append(scope).append("\"\n\n");
                hcl.append("  permissions {\n");
                List<String> rbac = perms.stream().filter(p -> !isGraphPermission(p)).toList();
                list(hcl, "    ", "actions", rbac.stream().filter(p -> !isAzureDataAction(p)).toList());
                list(hcl, "    ", "data_actions", rbac.stream().filter(PermissionsGenerator::isAzureDataAction)
                        .toList());
                hcl.append("    not_actions      = []\n");
                hcl.append("    not_data_actions = []\n");
                hcl.append("  }\n\n");
                hcl.append("  assignable_scopes = [\"").append(scope).append("\"]\n}\n");
                List<String> graph = perms.stream().filter(PermissionsGenerator::isGraphPermission).toList();
                if (!graph.isEmpty()) {
                    hcl.append("\n# Microsoft Graph application permissions (app-role assignments, not RBAC)\n");
                    hcl.append("locals {\n");
                    list(hcl, "  ", name + "_graph_permissions", graph);
                    hcl.append("}\n");
                }
            }
            case GCP -> {
                hcl.append("resource \"google_project_iam_custom_role\" \"").append(name).append("\" {\n");
                hcl.append("  role_id     = \"cloudwarden").append(role.title()).append("\"\n");
                hcl.append("  title       = \"Cloudwarden ").append(role.title()).append("\"\n");
                hcl.append("  description = \"").append(role.description()).append("\"\n");
                hcl.append("  stage       = \"GA\"\n");
                list(hcl, "  ", "permissions", perms);
                hcl.append("}\n");
            }
            default -> throw new PermissionsException("--cloud: unsupported cloud " + cloud);
        }
        return hcl.toString();
    }

    private static void list(StringBuilder hcl, String indent, String attribute, List<String> values) {
        if (values.isEmpty()) {
            hcl.append(indent).append(attribute).append(" = []\n");
            return;
        }
        hcl.append(indent).append(attribute).append(" = [\n");
        for (String v : values) {
            hcl.append(indent).append("  \"").append(v).append("\",\n");
        }
        hcl.append(indent).append("]\n");
    }

    /** Lower-case cloud id for file paths ({@code infra/aws/policies/scanner.json}). */
    public static String relativePolicyPath(Cloud cloud, PermissionRole role) {
        return "infra/" + cloud.id() + "/policies/" + role.id().toLowerCase(Locale.ROOT) + ".json";
    }
}
