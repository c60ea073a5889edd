package io.cloudwarden.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.model.Cloud;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {
    private static ProviderConfig with(Map<String, String> settings) {
        return new ProviderConfig(Cloud.AZURE, Optional.empty(), List.of(), List.of(), settings);
    }

    @Test
    void settingsFromEnvironmentVariablesMatchCamelCaseNames() {
        // CLOUDWARDEN_AZURE_TENANT_ID becomes cloudwarden.azure.tenant.id -> setting "tenant.id"
        assertThat(with(Map.of("tenant.id", "t-1")).setting("tenantId")).hasValue("t-1");
        assertThat(with(Map.of("maxretries", "3")).setting("maxRetries")).hasValue("3");
        assertThat(with(Map.of("max-retries", "4")).setting("maxRetries")).hasValue("4");
        assertThat(with(Map.of("maxRetries", "5", "maxretries", "6")).setting("maxRetries")).hasValue("5");
        assertThat(with(Map.of("clientSecret", " ")).setting("clientSecret")).isEmpty();
    }

    @Test
    void secretsAreMaskedWhenPrinted() {
        assertThat(with(Map.of("clientSecret", "hunter2", "tenantId", "t")).toString())
                .doesNotContain("hunter2").contains("clientSecret=****").contains("tenantId=t");
    }
}
