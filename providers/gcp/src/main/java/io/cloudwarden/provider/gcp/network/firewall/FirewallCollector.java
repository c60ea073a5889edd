package io.cloudwarden.provider.gcp.network.firewall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.compute.v1.Firewall;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.AssetCollector;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.Optional;

/** Firewall rules: listed through CAI, fetched one by one with the Compute REST client. */
public final class FirewallCollector extends AssetCollector {
    public FirewallCollector() {
        super(GcpIds.FIREWALL_TYPE);
    }

    @Override
    protected Optional<ObjectNode> fetchAsset(GcpSession session, String project, String id) {
        String name = GcpIds.last(id);
        try {
            Firewall fw = session.firewalls().get(project, name);
            return Optional.of(AssetJson.wrap(id, GcpIds.FIREWALL_TYPE, GcpIds.GLOBAL, AssetJson.fromProto(fw)));
        } catch (RuntimeException e) {
            if (GcpErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw GcpErrors.map("compute:firewalls.get(" + name + ")", e);
        }
    }
}
