package io.cloudwarden.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineLoaderTest {
    /** A small real mapper: S3 buckets with their split-out versioning folded in; security groups unmapped. */
    static final class S3Mapper implements BaselineMapper {
        final List<List<TerraformInstance>> calls = new ArrayList<>();

        @Override
        public Set<String> terraformTypes() {
            return Set.of("aws_s3_bucket", "aws_s3_bucket_versioning", "aws_security_group");
        }

        @Override
        public BaselineResult map(List<TerraformInstance> instances) {
            calls.add(instances);
            List<Resource> out = new ArrayList<>();
            List<NotCompared> nc = new ArrayList<>();
            for (TerraformInstance i : instances) {
                if (i.type().equals("aws_s3_bucket")) {
                    String bucket = i.attributes().path("bucket").asText();
                    boolean versioned = instances.stream().anyMatch(v -> v.type().equals("aws_s3_bucket_versioning")
                            && v.attributes().path("bucket").asText().equals(bucket)
                            && v.attributes().at("/versioning_configuration/0/status").asText().equals("Enabled"));
                    ObjectNode attrs = ModelJson.mapper().createObjectNode().put("versioning", versioned);
                    out.add(Resource.builder().cloud(Cloud.AWS).type(ResourceTypes.STORAGE_BUCKET)
                            .id("arn:aws:s3:::" + bucket).name(bucket).attributes(attrs).build());
                } else if (i.type().equals("aws_security_group")) {
                    nc.add(new NotCompared("", i.address(), "security group rules are not mapped yet"));
                }
            }
            return new BaselineResult(out, nc);
        }
    }

    @Test
    void routesByTypeFoldsSplitResourcesAndReportsEveryUnmappedInstance() throws Exception {
        Path file = TerraformStateReaderTest.state("mixed.tfstate");
        S3Mapper aws = new S3Mapper();

        BaselineResult r = new BaselineLoader(Map.of(Cloud.AWS, aws)).fromTerraform(file);

        assertThat(r.resources()).singleElement().satisfies(b -> {
            assertThat(b.id()).isEqualTo("arn:aws:s3:::acme-logs");
            assertThat(b.attributes().path("versioning").asBoolean()).isTrue();
        });
        assertThat(aws.calls).hasSize(1);
        assertThat(r.notCompared()).extracting(NotCompared::address, NotCompared::reason).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("aws_instance.app[0]", "no provider maps terraform type aws_instance"),
                org.assertj.core.groups.Tuple.tuple("google_storage_bucket.assets",
                        "no provider maps terraform type google_storage_bucket"),
                org.assertj.core.groups.Tuple.tuple("random_id.suffix", "no provider maps terraform type random_id"),
                org.assertj.core.groups.Tuple.tuple("module.net.aws_security_group.web[\"a\"]",
                        "security group rules are not mapped yet"),
                org.assertj.core.groups.Tuple.tuple("module.net.aws_security_group.web[\"b\"]",
                        "security group rules are not mapped yet"));
        assertThat(r.notCompared()).extracting(NotCompared::source).containsOnly(file.toString());
    }

    @Test
    void aTypeClaimedByTwoMappersGoesToTheProvidersCloud() throws Exception {
        S3Mapper aws = new S3Mapper();
        S3Mapper gcp = new S3Mapper();

        new BaselineLoader(Map.of(Cloud.AWS, aws, Cloud.GCP, gcp))
                .fromTerraform(TerraformStateReaderTest.state("mixed.tfstate"));

        assertThat(aws.calls).hasSize(1);
        assertThat(gcp.calls).isEmpty();
        assertThat(BaselineLoader.cloudOfProvider("registry.terraform.io/hashicorp/google-beta")).contains(Cloud.GCP);
        assertThat(BaselineLoader.cloudOfProvider("registry.terraform.io/hashicorp/azurerm")).contains(Cloud.AZURE);
    }

    @Test
    void detectsTheBaselineFormatByContent(@TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("approved.json");
        Files.writeString(snapshot, """
                {"schema": "cloudwarden/snapshot/v1", "takenAt": "2026-11-23T10:00:00Z", "resources": [
                  {"cloud": "aws", "type": "kms.key", "id": "arn:aws:kms:us-east-1:111122223333:key/1234abcd",
                   "attributes": {"enabled": true, "rotationEnabled": true, "rotationPeriodDays": 365}}],
                 "errors": []}""");
        Path tf = TerraformStateReaderTest.state("mixed.tfstate");
        Path neither = dir.resolve("other.json");
        Files.writeString(neither, "{\"hello\": 1}");

        assertThat(BaselineLoader.detect(snapshot)).isEqualTo(BaselineLoader.Format.SNAPSHOT);
        assertThat(BaselineLoader.detect(tf)).isEqualTo(BaselineLoader.Format.TERRAFORM);
        BaselineResult both = new BaselineLoader(Map.of(Cloud.AWS, new S3Mapper())).load(snapshot, tf);
        assertThat(both.resources()).extracting(Resource::type).containsExactly("kms.key", "storage.bucket");
        assertThatThrownBy(() -> BaselineLoader.detect(neither))
                .isInstanceOf(BaselineException.class)
                .hasMessageContaining("other.json")
                .hasMessageContaining("found neither");
    }

    @Test
    void anInvalidApprovedSnapshotIsABaselineErrorWithThePointer(@TempDir Path dir) throws Exception {
        Path snapshot = dir.resolve("approved.json");
        Files.writeString(snapshot, """
                {"schema": "cloudwarden/snapshot/v1", "takenAt": "2026-11-23T10:00:00Z", "resources": [
                  {"cloud": "aws", "type": "kms.key", "id": "k", "attributes": {"enabled": "yes",
                   "rotationEnabled": true, "rotationPeriodDays": null}}]}""");

        assertThatThrownBy(() -> new BaselineLoader(Map.of()).fromSnapshot(snapshot))
                .isInstanceOf(BaselineException.class)
                .hasMessageContaining("approved.json")
                .hasMessageContaining("/resources/0/attributes/enabled");
    }
}
