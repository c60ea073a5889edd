package io.cloudwarden.provider.gcp.network.firewall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.Instance;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.AssetCollector;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.Optional;

/** Firewall rules and instances: listed through CAI, fetched one by one with the Compute REST clients. */
public final class ComputeCollectors {
    private ComputeCollectors() {
    }

    public static AssetCollector firewalls() {
        return new AssetCollector(GcpIds.FIREWALL_TYPE) {
            @Override
            protected Optional<ObjectNode> fetchAsset(GcpSession session, String project, String id) {
                String name = GcpIds.last(id);
                try {
                    Firewall fw = session.firewalls().get(project, name);
                    return Optional.of(AssetJson.wrap(id, GcpIds.FIREWALL_TYPE, GcpIds.GLOBAL,
                            AssetJson.fromProto(fw)));
                } catch (RuntimeException e) {
                    if (GcpErrors.isNotFound(e)) {
                        return Optional.empty();
                    }
                    throw GcpErrors.map("compute:firewalls.get(" + name + ")", e);
                }
            }
        };
    }

    public static AssetCollector instances() {
        return new AssetCollector(GcpIds.INSTANCE_TYPE) {
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
        };
    }
}
