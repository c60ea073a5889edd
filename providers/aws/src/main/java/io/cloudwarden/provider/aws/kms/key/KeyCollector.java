package io.cloudwarden.provider.aws.kms.key;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.ParallelReads;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Customer-managed KMS keys of one account-region: ListKeys → DescribeKey (AWS-managed keys are skipped: their
 * rotation is AWS's business) → GetKeyRotationStatus → ListResourceTags. Keys that cannot rotate (asymmetric, HMAC,
 * imported material, custom key stores) or are pending deletion answer GetKeyRotationStatus with an error: they are
 * recorded as not rotating rather than failing the shard.
 */
public final class KeyCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("kms:ListKeys", "kms:DescribeKey",
            "kms:GetKeyRotationStatus", "kms:ListResourceTags");
    private static final Set<String> CANNOT_ROTATE = Set.of("UnsupportedOperationException",
            "KMSInvalidStateException");

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AwsSession s = (AwsSession) session;
        KmsClient kms = s.kms(shard.account(), shard.region());
        // DescribeKey, rotation status and tags of each key run concurrently within the account-region's KMS quota.
        AwsCalls.run("kms:ListKeys", () -> ParallelReads.forEachOrdered(kms.listKeysPaginator(r -> r.limit(1000)).keys(),
                s.readLimiter("kms", shard.account(), shard.region()),
                (KeyListEntry k) -> read(kms, shard.account(), shard.region(), k.keyArn()),
                item -> item.ifPresent(sink)));
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        KmsClient kms = ((AwsSession) session).kms(ref.account(), ref.region());
        return read(kms, ref.account(), ref.region(), ref.id());
    }

    private Optional<NativeItem> read(KmsClient kms, String account, String region, String keyId) {
        Optional<KeyMetadata> meta = AwsCalls.callOptional("kms:DescribeKey", Set.of("NotFoundException"),
                () -> kms.describeKey(r -> r.keyId(keyId)).keyMetadata());
        if (meta.isEmpty() || meta.get().keyManager() != KeyManagerType.CUSTOMER) {
            return Optional.empty();
        }
        KeyMetadata m = meta.get();
        ObjectNode out = io.cloudwarden.provider.aws.Json.F.objectNode();
        out.set("KeyMetadata", SdkJson.toJson(m));
        try {
            var status = kms.getKeyRotationStatus(r -> r.keyId(m.keyId()));
            out.set("KeyRotationStatus", SdkJson.toJson(status));
        } catch (AwsServiceException e) {
            if (!CANNOT_ROTATE.contains(AwsCalls.errorCode(e))) {
                throw AwsCalls.translate("kms:GetKeyRotationStatus", e);
            }
            ObjectNode st = out.putObject("KeyRotationStatus");
            st.put("KeyRotationEnabled", false);
            st.put("Unsupported", AwsCalls.errorCode(e));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw AwsCalls.translate("kms:GetKeyRotationStatus", e);
        }
        ArrayNode tags = out.putArray("Tags");
        AwsCalls.run("kms:ListResourceTags", () -> kms.listResourceTagsPaginator(r -> r.keyId(m.keyId())).tags()
                .forEach(t -> tags.add(SdkJson.toJson(t))));
        return Optional.of(new NativeItem(m.arn(), account, region, out));
    }
}
