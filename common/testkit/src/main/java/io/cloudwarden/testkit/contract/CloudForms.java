package io.cloudwarden.testkit.contract;

import io.cloudwarden.model.Cloud;
import java.util.regex.Pattern;

/**
 * The documented forms the contract suite checks, one per cloud: resource ids ({@code docs/MODEL.md}, "Ids"), read
 * permissions (what a descriptor declares) and change permissions (what a remediator declares).
 */
public final class CloudForms {
    private CloudForms() {
    }

    /** An ARN (any partition), or the native id where AWS defines no ARN: an IAM access key id. */
    static final Pattern AWS_ID = Pattern.compile(
            "arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12})?:[^\\s]+|(AKIA|ASIA)[A-Z0-9]{16}");
    /**
     * An ARM resource id ({@code /subscriptions/S/resourceGroups/G/providers/Namespace/type/name[/type/name]...}),
     * or for Entra ID objects the tenant-rooted Graph path ({@code /tenants/T/users/U}, {@code .../servicePrincipals/
     * P}, {@code .../applications/A/credentials/K}). ARM ids are case-insensitive.
     */
    static final Pattern AZURE_ID = Pattern.compile(
            "/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/[A-Za-z]+\\.[A-Za-z]+(/[^/]+/[^/]+)+"
                    + "|/tenants/[0-9a-f-]{36}/(users|servicePrincipals)/[0-9a-f-]{36}"
                    + "|/tenants/[0-9a-f-]{36}/applications/[0-9a-f-]{36}/credentials/[0-9a-f-]{36}",
            Pattern.CASE_INSENSITIVE);
    /** A Cloud Asset Inventory full resource name: {@code //service.googleapis.com/...}. */
    static final Pattern GCP_ID = Pattern.compile("//[a-z]+\\.googleapis\\.com/[^\\s]+");

    static final Pattern AWS_PERMISSION = Pattern.compile("[a-z0-9-]+:[A-Z][A-Za-z0-9]+");
    /** An Azure read operation, or a Microsoft Graph application permission that only reads. */
    static final Pattern AZURE_READ = Pattern.compile(
            "Microsoft\\.[A-Za-z]+(/[A-Za-z]+)+/read|[A-Z][A-Za-z]+(\\.[A-Za-z]+)*\\.Read(\\.[A-Za-z]+)?");
    /** An Azure operation, or a Microsoft Graph application permission that writes. */
    static final Pattern AZURE_CHANGE = Pattern.compile(
            "Microsoft\\.[A-Za-z]+(/[A-Za-z]+)+/[a-z]+|[A-Z][A-Za-z]+\\.ReadWrite\\.[A-Za-z]+");
    static final Pattern GCP_PERMISSION = Pattern.compile("[a-z]+(\\.[a-zA-Z]+){2,}");

    public static Pattern id(Cloud cloud) {
        return switch (cloud) {
            case AWS -> AWS_ID;
            case AZURE -> AZURE_ID;
            case GCP -> GCP_ID;
        };
    }

    public static Pattern readPermission(Cloud cloud) {
        return switch (cloud) {
            case AWS -> AWS_PERMISSION;
            case AZURE -> AZURE_READ;
            case GCP -> GCP_PERMISSION;
        };
    }

    public static Pattern changePermission(Cloud cloud) {
        return switch (cloud) {
            case AWS -> AWS_PERMISSION;
            case AZURE -> AZURE_CHANGE;
            case GCP -> GCP_PERMISSION;
        };
    }
}
