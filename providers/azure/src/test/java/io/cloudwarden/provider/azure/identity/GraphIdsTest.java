package io.cloudwarden.provider.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.GraphIds;
import io.cloudwarden.provider.azure.session.GraphRest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphIdsTest {
    @Test
    void principalAndCredentialIdsRoundTrip() {
        String user = GraphIds.principal("t1", GraphIds.USERS, "o1");
        String key = GraphIds.credential("t1", "app1", "k1");

        assertThat(user).isEqualTo("/tenants/t1/users/o1");
        assertThat(GraphIds.parse(user)).contains(new GraphIds.Parsed("t1", "users", "o1", Optional.empty()));
        assertThat(key).isEqualTo("/tenants/t1/applications/app1/credentials/k1");
        assertThat(GraphIds.parse(key)).contains(new GraphIds.Parsed("t1", "applications", "app1", Optional.of("k1")));
    }

    @Test
    void segmentsMatchIgnoringCaseAndIdsCompareCaseInsensitively() {
        assertThat(GraphIds.parse("/Tenants/T1/SERVICEPRINCIPALS/O1")).hasValueSatisfying(
                p -> assertThat(p.collection()).isEqualTo(GraphIds.SERVICE_PRINCIPALS));
        assertThat(new ResourceRef(Cloud.AZURE, "", "", ResourceTypes.IDENTITY_USER, "/tenants/T1/users/ABC").matchKey())
                .isEqualTo(new ResourceRef(Cloud.AZURE, "", "", ResourceTypes.IDENTITY_USER, "/tenants/t1/users/abc")
                        .matchKey());
    }

    @Test
    void otherShapesAreNotGraphIds() {
        assertThat(GraphIds.parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v"))
                .isEmpty();
        assertThat(GraphIds.parse("/tenants/t1/groups/g1")).isEmpty();
        assertThat(GraphIds.parse("/tenants/t1/applications/a1")).isEmpty();
        assertThat(GraphIds.parse("/tenants/t1/users/o1/credentials/k")).isEmpty();
        assertThat(GraphIds.parse("/tenants//users/o1")).isEmpty();
    }

    private static ProviderConfig config(Optional<URI> endpoint, Map<String, String> settings) {
        return new ProviderConfig(Cloud.AZURE, endpoint, List.of(), List.of(), settings);
    }

    @Test
    void graphRootIsTheSettingElseUnderTheEndpointOverrideElsePublic() {
        assertThat(GraphRest.root(config(Optional.empty(), Map.of()))).isEqualTo(URI.create("https://graph.microsoft.com"));
        assertThat(GraphRest.root(config(Optional.of(URI.create("https://localhost:8443/")), Map.of())))
                .isEqualTo(URI.create("https://localhost:8443/graph"));
        assertThat(GraphRest.root(config(Optional.of(URI.create("https://localhost:8443")),
                Map.of(GraphRest.GRAPH_ENDPOINT_SETTING, "https://graph.microsoft.us"))))
                .isEqualTo(URI.create("https://graph.microsoft.us"));
    }

    @Test
    void tokenScopeFollowsAnExplicitGraphRoot() {
        assertThat(GraphRest.scope(config(Optional.empty(), Map.of()))).isEqualTo("https://graph.microsoft.com/.default");
        assertThat(GraphRest.scope(config(Optional.empty(),
                Map.of(GraphRest.GRAPH_ENDPOINT_SETTING, "https://microsoftgraph.chinacloudapi.cn/"))))
                .isEqualTo("https://microsoftgraph.chinacloudapi.cn/.default");
    }

    @Test
    void aGraphEndpointThatIsNotAUrlIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> GraphRest.root(config(Optional.empty(),
                Map.of(GraphRest.GRAPH_ENDPOINT_SETTING, "graph.local"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("settings.cloudwarden.azure.graph-endpoint").hasMessageContaining("graph.local");
    }
}
