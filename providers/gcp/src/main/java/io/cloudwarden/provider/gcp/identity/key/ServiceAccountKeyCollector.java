package io.cloudwarden.provider.gcp.identity.key;

import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.AssetCollector;

/**
 * User-managed service account keys, read from Cloud Asset Inventory. System-managed keys are left out: Google
 * rotates them itself and they cannot be downloaded.
 */
public final class ServiceAccountKeyCollector extends AssetCollector {
    public ServiceAccountKeyCollector() {
        super(GcpIds.SERVICE_ACCOUNT_KEY_TYPE,
                a -> !"SYSTEM_MANAGED".equals(a.path("resource").path("data").path("keyType").asText()));
    }
}
