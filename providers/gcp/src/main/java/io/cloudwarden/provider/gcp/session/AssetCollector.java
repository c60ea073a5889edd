package io.cloudwarden.provider.gcp.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.asset.v1.ContentType;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.gcp.AssetJson;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Lists one asset type per project through Cloud Asset Inventory; subclasses override {@link #fetchAsset} with a
 * per-service read where a REST client exists, else the current asset comes from BatchGetAssetsHistory.
 */
public class AssetCollector implements ResourceCollector {
    protected final String assetType;
    private final Predicate<JsonNode> keep;

    public AssetCollector(String assetType) {
        this(assetType, a -> true);
    }

    /** @param keep which listed assets are items of this type (e.g. user-managed keys only) */
    public AssetCollector(String assetType, Predicate<JsonNode> keep) {
        this.assetType = assetType;
        this.keep = keep;
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        GcpSession gcp = (GcpSession) session;
        Consumer<ObjectNode> enriched = enricher(gcp, shard.account());
        Cai.list(gcp, shard.account(), assetType, ContentType.RESOURCE, asset -> {
            if (keep.test(asset)) {
                ObjectNode a = enrich(enriched, asset);
                sink.accept(new NativeItem(a.path("name").asText(), shard.account(), AssetJson.location(a), a));
            }
        });
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        GcpSession gcp = (GcpSession) session;
        String project = projectOf(ref);
        return fetchAsset(gcp, project, ref.id()).filter(keep).map(asset -> {
            ObjectNode a = enrich(enricher(gcp, project), asset);
            return new NativeItem(ref.id(), project, AssetJson.location(a), a);
        });
    }

    private static ObjectNode enrich(Consumer<ObjectNode> enricher, ObjectNode asset) {
        enricher.accept(asset);
        return asset;
    }

    /** Per-project extra data added to every asset before it is handed on (default: none). */
    protected Consumer<ObjectNode> enricher(GcpSession session, String project) {
        return a -> { };
    }

    protected Optional<ObjectNode> fetchAsset(GcpSession session, String project, String id) {
        return Cai.current(session, project, id);
    }

    /** The project of a ref: its account, else the {@code projects/P} segment of the id. */
    protected static String projectOf(ResourceRef ref) {
        if (!ref.account().isEmpty()) {
            return ref.account();
        }
        return io.cloudwarden.provider.gcp.GcpIds.segment(ref.id(), "projects").orElseThrow(() ->
                new IllegalArgumentException("ref.account: a GCP project id is needed to read " + ref.id()));
    }
}
