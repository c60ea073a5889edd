package io.cloudwarden.app.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.CoreConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcpAppSettingsTest {
    @Test
    void nothingConfiguredMeansInProcessRemediationAndNoTokenCheck() {
        GcpAppSettings s = GcpAppSettings.from(CoreConfig.of(Map.of()));
        assertThat(s.topic()).isEmpty();
        assertThat(s.oidcAudiences()).isEmpty();
        assertThat(new OidcCheck(s.oidcAudiences(), s.oidcEmails(), java.time.Clock.systemUTC()).enabled()).isFalse();
    }

    @Test
    void keysSetThroughEnvironmentVariablesAreRead() {
        CoreConfig config = CoreConfig.fromEnvironment(Map.of(), Map.of(
                "CLOUDWARDEN_GCP_TOPIC", "projects/p/topics/work",
                "CLOUDWARDEN_GCP_OIDC_AUDIENCE", "https://a.run.app, https://a.run.app/pubsub",
                "CLOUDWARDEN_GCP_OIDC_EMAIL", "invoker@p.iam.gserviceaccount.com"));
        GcpAppSettings s = GcpAppSettings.from(config);
        assertThat(s.topic()).contains("projects/p/topics/work");
        assertThat(s.oidcAudiences()).containsExactly("https://a.run.app", "https://a.run.app/pubsub");
        assertThat(s.oidcEmails()).containsExactly("invoker@p.iam.gserviceaccount.com");
    }

    @Test
    void aTopicThatIsNotAFullTopicNameIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> GcpAppSettings.from(CoreConfig.of(Map.of("cloudwarden.gcp.topic", "work"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cloudwarden.gcp.topic")
                .hasMessageContaining("projects/my-project/topics/cloudwarden-work");
    }

    @Test
    void anUnreadableCredentialsFileIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> GcpAppSettings.from(CoreConfig.of(Map.of(
                "cloudwarden.gcp.credentialsFile", "/nonexistent/key.json"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cloudwarden.gcp.credentialsFile");
    }
}
