package io.cloudwarden.provider.azure.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.ParallelReads;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.azure.ArmId;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Lists one ARM type with one Resource Graph query per subscription shard and fetches single resources with an ARM
 * GET. Resource Graph returns the ARM resource document (plus {@code subscriptionId}, {@code resourceGroup}); what it
 * does not index (blob service settings, containers, NICs, ...) is added by the {@link Enricher} with ARM reads.
 */
public final class GraphCollector implements ResourceCollector {
    /** Adds per-resource ARM reads to an item (mutates and returns it). */
    @FunctionalInterface
    public interface Enricher {
        ObjectNode enrich(AzureSession session, ObjectNode item);
    }

    private final String armType;
    private final String apiVersion;
    private final String fetchQuery;
    private final Enricher enricher;

    /**
     * @param armType ARM type, e.g. {@code Microsoft.Storage/storageAccounts}
     * @param apiVersion the api-version of the type's GET
     * @param fetchQuery extra query parameters for the single GET ({@code $expand=instanceView}) or empty
     */
    public GraphCollector(String armType, String apiVersion, String fetchQuery, Enricher enricher) {
        this.armType = armType;
        this.apiVersion = apiVersion;
        this.fetchQuery = fetchQuery;
        this.enricher = enricher;
    }

    /** The KQL sent for each shard; ordered by id so {@code $skipToken} paging is stable. */
    public String kql() {
        return "resources | where type =~ '" + armType + "' | order by id asc";
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AzureSession az = (AzureSession) session;
        // The enrichment reads (ARM GETs per resource) run concurrently within the subscription's ARM read quota;
        // items reach the sink in Resource Graph's order and a failed read fails the shard as before.
        var reads = ParallelReads.ordered(az.armReads(shard.account()),
                (ObjectNode row) -> {
                    ObjectNode item = enricher.enrich(az, row);
                    return new NativeItem(item.path("id").asText(), shard.account(), item.path("location").asText(""),
                            item);
                }, sink);
        try {
            az.arm().resourceGraph(shard.account(), kql(), "Microsoft.ResourceGraph/resources/read", row -> {
                if (!row.isObject() || row.path("id").asText("").isEmpty()) {
                    reads.finish();
                    throw new ProviderException(Cloud.AZURE, "Microsoft.ResourceGraph/resources/read",
                            "MalformedResponse", false, "Resource Graph row without an 'id' for " + armType);
                }
                reads.submit(((ObjectNode) row).deepCopy());
            });
            reads.finish();
        } catch (RuntimeException e) {
            // As read one after another: the earlier rows' outcome (or first failure) comes before the source's.
            reads.finish();
            throw e;
        } finally {
            reads.cancel();
        }
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        AzureSession az = (AzureSession) session;
        String path = fetchQuery.isEmpty() ? ref.id() : ref.id() + "?" + fetchQuery;
        Optional<JsonNode> got = az.arm().get(path, apiVersion, armType + "/read");
        return got.filter(JsonNode::isObject).map(n -> {
            ObjectNode item = enricher.enrich(az, (ObjectNode) n.deepCopy());
            String id = item.path("id").asText(ref.id());
            return new NativeItem(id, ArmId.subscription(id).orElse(ref.account()), item.path("location").asText(""),
                    item);
        });
    }
}
