package io.cloudwarden.provider.gcp.kms.key;

import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.AssetCollector;

/** Cloud KMS crypto keys, read from Cloud Asset Inventory resource data. */
public final class CryptoKeyCollector extends AssetCollector {
    public CryptoKeyCollector() {
        super(GcpIds.CRYPTO_KEY_TYPE);
    }
}
