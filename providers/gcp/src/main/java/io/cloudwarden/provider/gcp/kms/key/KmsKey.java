package io.cloudwarden.provider.gcp.kms.key;

import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.GcpType;
import io.cloudwarden.provider.gcp.session.Cai;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code kms.key} on GCP: Cloud KMS crypto keys (id = the CAI name; region = the key ring's location). */
public final class KmsKey implements GcpType {
    private static final String CRYPTO_KEYS = "/cryptoKeys/";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.KMS_KEY, GcpIds.CRYPTO_KEY_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH), List.of(Cai.USE, Cai.LIST, Cai.HISTORY),
                new CryptoKeyCollector(), new CryptoKeyNormalizer());
    }

    @Override
    public List<Method> auditLogMethods() {
        return Method.of("cloudkms.googleapis.com", "CreateCryptoKey", "CreateCryptoKeyVersion",
                "DestroyCryptoKeyVersion", "UpdateCryptoKey", "UpdateCryptoKeyPrimaryVersion");
    }

    /** Any method on a crypto key or one of its versions names the key. */
    @Override
    public Optional<Target> idOf(AuditEntry entry) {
        String name = entry.resourceName();
        int i = name.indexOf(CRYPTO_KEYS);
        if (i < 0) {
            return Optional.empty();
        }
        int end = name.indexOf('/', i + CRYPTO_KEYS.length());
        String key = end < 0 ? name : name.substring(0, end);
        return Optional.of(new Target(GcpIds.cryptoKey(key), GcpIds.segment(key, "locations").orElse("")));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new KmsSetRotation());
    }

    /** The key; its primary version's state is not in the state, so {@code enabled} is not mapped. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("google_kms_crypto_key");
    }
}
