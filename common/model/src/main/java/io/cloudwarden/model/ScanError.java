package io.cloudwarden.model;

import java.util.List;
import java.util.Optional;

/**
 * A shard (cloud × account × region × type) that could not be read. Recorded in the snapshot so a failed shard is
 * never a silent gap. {@code code} is the cloud's native error code when known (e.g. {@code AccessDenied}).
 *
 * <p><b>Scope.</b> The fields name the unread scope as resources carry it, and {@link #covers} is the one rule every
 * consumer (drift, diff, the event and schedule path, chatops, the report writers) uses to decide that a resource
 * was not read:
 * <ul>
 * <li>{@code cloud} must be equal;</li>
 * <li>an empty {@code type} or {@code account} covers every type / account of the cloud (e.g. a session that could
 * not be opened); a resource with an empty account (a Terraform resource whose address names no account) is covered
 * by every account; accounts compare case-insensitively (Azure subscription and tenant ids are GUIDs);</li>
 * <li>region {@value #GLOBAL_REGION} (a GLOBAL shard, e.g. S3's ListBuckets or Microsoft Graph, which lists the
 * resources of every region in one call), {@value #ALL_REGIONS} (an account-wide shard: Resource Graph, Cloud Asset
 * Inventory) and the empty region cover every region; any other region covers only that region (compared
 * case-insensitively), and a resource with an empty region is covered by every region.</li>
 * </ul>
 */
public record ScanError(Cloud cloud, String account, String region, String type, String message, String code) {
    /** Region of a GLOBAL shard: it lists resources of every region. */
    public static final String GLOBAL_REGION = "global";
    /** Region of an account-wide shard (bulk inventories): it lists resources of every region. */
    public static final String ALL_REGIONS = "*";

    public ScanError {
        account = account == null ? "" : account;
        region = region == null ? "" : region;
        type = type == null ? "" : type;
        message = message == null ? "" : message;
        code = code == null ? "" : code;
    }

    /** True when a resource of this cloud, account, region and type lies in this unread scope (see the class doc). */
    public boolean covers(Cloud resourceCloud, String resourceAccount, String resourceRegion, String resourceType) {
        if (cloud != resourceCloud) {
            return false;
        }
        if (!type.isEmpty() && !type.equals(resourceType)) {
            return false;
        }
        String ra = resourceAccount == null ? "" : resourceAccount;
        if (!account.isEmpty() && !ra.isEmpty() && !account.equalsIgnoreCase(ra)) {
            return false;
        }
        String rr = resourceRegion == null ? "" : resourceRegion;
        return allRegions() || rr.isEmpty() || region.equalsIgnoreCase(rr);
    }

    /** True when {@code ref} lies in this unread scope. */
    public boolean covers(ResourceRef ref) {
        return covers(ref.cloud(), ref.account(), ref.region(), ref.type());
    }

    /** True when {@code r} lies in this unread scope. */
    public boolean covers(Resource r) {
        return covers(r.cloud(), r.account(), r.region(), r.type());
    }

    /** The first of {@code errors} whose scope covers {@code r}. */
    public static Optional<ScanError> covering(List<ScanError> errors, Resource r) {
        for (ScanError e : errors) {
            if (e.covers(r)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** True when one of {@code errors} covers {@code r}: {@code r}'s scope was not read. */
    public static boolean unread(List<ScanError> errors, Resource r) {
        return covering(errors, r).isPresent();
    }

    /** The scope as people read it: {@code aws 111122223333/global/storage.bucket}, {@code *} for "every". */
    public String scope() {
        return cloud.id() + " " + (account.isEmpty() ? "*" : account) + "/" + (region.isEmpty() ? "*" : region) + "/"
                + (type.isEmpty() ? "*" : type);
    }

    private boolean allRegions() {
        return region.isEmpty() || ALL_REGIONS.equals(region) || GLOBAL_REGION.equalsIgnoreCase(region);
    }
}
