package io.cloudwarden.provider.gcp.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.Binding;
import com.google.cloud.Policy;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.AssetCollector;
import io.cloudwarden.provider.gcp.session.Cai;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Buckets: CAI ListAssets twice per project (RESOURCE for the bucket, IAM_POLICY for its bindings, joined by asset
 * name); a single bucket is re-read through the Storage JSON API (bucket + {@code getIamPolicy}).
 */
public final class BucketCollector extends AssetCollector {
    public BucketCollector() {
        super(GcpIds.BUCKET_TYPE);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        GcpSession gcp = (GcpSession) session;
        Map<String, JsonNode> policies = Cai.iamPolicies(gcp, shard.account(), GcpIds.BUCKET_TYPE);
        super.collect(session, shard, item -> {
            JsonNode policy = policies.get(item.id());
            if (policy != null) {
                ((ObjectNode) item.json()).set("iamPolicy", policy);
            }
            sink.accept(item);
        });
    }

    @Override
    protected Optional<ObjectNode> fetchAsset(GcpSession session, String project, String id) {
        String name = GcpIds.relative(id);
        Storage storage = session.storage();
        try {
            Bucket bucket = storage.get(name);
            if (bucket == null) {
                return Optional.empty();
            }
            Policy policy = storage.getIamPolicy(name);
            ObjectNode asset = AssetJson.wrap(id, GcpIds.BUCKET_TYPE,
                    bucket.getLocation() == null ? GcpIds.GLOBAL : bucket.getLocation().toLowerCase(Locale.ROOT),
                    bucketJson(bucket));
            asset.set("iamPolicy", policyJson(policy));
            return Optional.of(asset);
        } catch (RuntimeException e) {
            if (GcpErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw GcpErrors.map("storage:buckets.get(" + name + ")", e);
        }
    }

    /** The Storage JSON API fields the normalizer reads, rebuilt from the client's {@link BucketInfo}. */
    static ObjectNode bucketJson(BucketInfo b) {
        ObjectNode o = ModelJson.mapper().createObjectNode();
        o.put("kind", "storage#bucket");
        o.put("name", b.getName());
        if (b.getProject() != null) {
            o.put("projectNumber", b.getProject().toString());
        }
        if (b.getLocation() != null) {
            o.put("location", b.getLocation());
        }
        if (b.getLabels() != null && !b.getLabels().isEmpty()) {
            ObjectNode labels = o.putObject("labels");
            b.getLabels().forEach((k, v) -> labels.put(k, v == null ? "" : v));
        }
        if (b.versioningEnabled() != null) {
            o.putObject("versioning").put("enabled", b.versioningEnabled());
        }
        if (b.getLogging() != null && b.getLogging().getLogBucket() != null) {
            ObjectNode logging = o.putObject("logging").put("logBucket", b.getLogging().getLogBucket());
            if (b.getLogging().getLogObjectPrefix() != null) {
                logging.put("logObjectPrefix", b.getLogging().getLogObjectPrefix());
            }
        }
        if (b.getDefaultKmsKeyName() != null) {
            o.putObject("encryption").put("defaultKmsKeyName", b.getDefaultKmsKeyName());
        }
        BucketInfo.IamConfiguration iam = b.getIamConfiguration();
        if (iam != null) {
            ObjectNode ic = o.putObject("iamConfiguration");
            if (iam.getPublicAccessPrevention() != null) {
                ic.put("publicAccessPrevention", iam.getPublicAccessPrevention().getValue());
            }
            if (iam.isUniformBucketLevelAccessEnabled() != null) {
                ic.putObject("uniformBucketLevelAccess").put("enabled", iam.isUniformBucketLevelAccessEnabled());
            }
        }
        return o;
    }

    static ObjectNode policyJson(Policy policy) {
        ObjectNode p = ModelJson.mapper().createObjectNode();
        ArrayNode bindings = p.putArray("bindings");
        if (policy != null) {
            for (Binding b : policy.getBindingsList()) {
                ObjectNode bn = bindings.addObject().put("role", b.getRole());
                ArrayNode members = bn.putArray("members");
                b.getMembers().forEach(members::add);
            }
            if (policy.getEtag() != null) {
                p.put("etag", policy.getEtag());
            }
        }
        return p;
    }
}
