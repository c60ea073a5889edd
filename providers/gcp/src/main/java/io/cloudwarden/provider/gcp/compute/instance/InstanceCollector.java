package io.cloudwarden.provider.gcp.compute.instance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.compute.v1.Instance;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.AssetCollector;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.Optional;

/** Instances: listed through CAI, fetched one by one with the Compute REST client. */
public final class InstanceCollector extends AssetCollector {
    public InstanceCollector() {
        super(GcpIds.INSTANCE_TYPE);
    }

    @Override
    protected Optional<ObjectNode> fetchAsset(GcpSession session, String project, String id) {
        String zone = GcpIds.segment(id, "zones").orElseThrow(() ->
                new IllegalArgumentException("ref.id: expected //compute.googleapis.com/projects/P/zones/Z/"
                        + "instances/NAME but was " + id));
        String name = GcpIds.last(id);
        try {
            Instance vm = session.instances().get(project, zone, name);
            return Optional.of(AssetJson.wrap(id, GcpIds.INSTANCE_TYPE, zone, AssetJson.fromProto(vm)));
        } catch (RuntimeException e) {
            if (GcpErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw GcpErrors.map("compute:instances.get(" + zone + "/" + name + ")", e);
        }
    }
}
