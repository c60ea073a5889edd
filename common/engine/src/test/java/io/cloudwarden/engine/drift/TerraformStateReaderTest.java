package io.cloudwarden.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.TerraformInstance;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerraformStateReaderTest {
    static Path state(String name) throws Exception {
        return Path.of(TerraformStateReaderTest.class.getResource("/drift/terraform/" + name).toURI());
    }

    private final TerraformStateReader reader = new TerraformStateReader();

    @Test
    void readsManagedInstancesWithFullAddressesAndProviderSources() throws Exception {
        List<TerraformInstance> all = reader.read(state("mixed.tfstate"));

        assertThat(all).extracting(TerraformInstance::address).containsExactly(
                "aws_s3_bucket.logs",
                "aws_s3_bucket_versioning.logs",
                "module.net.aws_security_group.web[\"a\"]",
                "module.net.aws_security_group.web[\"b\"]",
                "aws_instance.app[0]",
                "google_storage_bucket.assets",
                "random_id.suffix");
        TerraformInstance sg = all.get(2);
        assertThat(sg.type()).isEqualTo("aws_security_group");
        assertThat(sg.name()).isEqualTo("web");
        assertThat(sg.provider()).isEqualTo("registry.terraform.io/hashicorp/aws");
        assertThat(sg.attributes().at("/ingress/0/from_port").asInt()).isEqualTo(443);
        assertThat(all.get(5).provider()).isEqualTo("registry.terraform.io/hashicorp/google");
    }

    @Test
    void dataSourcesAreNotBaselineResources() throws Exception {
        assertThat(reader.read(state("mixed.tfstate"))).extracting(TerraformInstance::type)
                .doesNotContain("aws_caller_identity");
    }

    @Test
    void anOlderStateFormatIsRejectedNamingTheVersion() throws Exception {
        assertThatThrownBy(() -> reader.read(state("version3.tfstate")))
                .isInstanceOf(BaselineException.class)
                .hasMessageContaining("version3.tfstate")
                .hasMessageContaining("/version")
                .hasMessageContaining("expected Terraform state format version 4 but was 3");
    }

    @Test
    void aMissingVersionIsRejected() throws Exception {
        assertThatThrownBy(() -> reader.read(state("no-version.tfstate")))
                .isInstanceOf(BaselineException.class)
                .hasMessageContaining("no-version.tfstate: /version: missing");
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws Exception {
        assertThatThrownBy(() -> reader.read(state("malformed.tfstate")))
                .isInstanceOf(BaselineException.class)
                .hasMessageContaining("malformed.tfstate: malformed JSON at line 4, column");
    }

    @Test
    void anUnrecognizableProviderNamesTheField() throws Exception {
        assertThatThrownBy(() -> reader.read(state("bad-provider.tfstate")))
                .isInstanceOf(BaselineException.class)
                .hasMessageContaining("/resources/0/provider")
                .hasMessageContaining("provider[\"<source>\"]");
    }

    @Test
    void aliasedProvidersKeepTheirSource() {
        assertThat(TerraformStateReader.providerSource(
                "provider[\"registry.terraform.io/hashicorp/azurerm\"].secondary", "x"))
                .isEqualTo("registry.terraform.io/hashicorp/azurerm");
    }
}
