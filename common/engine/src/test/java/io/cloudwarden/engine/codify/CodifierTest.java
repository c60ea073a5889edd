package io.cloudwarden.engine.codify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodifierTest {
    /** A mapper that imports buckets by name and refuses keys, like a provider whose key type has no import. */
    static final BaselineMapper MAPPER = new BaselineMapper() {
        @Override
        public Set<String> terraformTypes() {
            return Set.of("aws_s3_bucket");
        }

        @Override
        public BaselineResult map(List<TerraformInstance> instances) {
            return new BaselineResult(List.of(), List.of());
        }

        @Override
        public Optional<TerraformImport> terraformImport(Resource r) {
            return switch (r.type()) {
                case "storage.bucket" -> Optional.of(new TerraformImport.Importable("aws_s3_bucket",
                        r.id().substring(r.id().lastIndexOf(':') + 1)));
                case "identity.key" -> Optional.of(new TerraformImport.NotImportable("aws_iam_access_key",
                        "no import for keys here"));
                default -> Optional.empty();
            };
        }

        @Override
        public Optional<String> terraformAttribute(String type, String pointer) {
            return pointer.equals("/versioning") ? Optional.of("aws_s3_bucket_versioning.status") : Optional.empty();
        }
    };

    static Resource resource(String type, String id, String name) {
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1").type(type).id(id)
                .name(name).nativeType("x").attributes(ModelJson.mapper().createObjectNode()).build();
    }

    static DriftReport report(List<ResourceDrift> drift) {
        return new DriftReport(DriftReport.SCHEMA_V1, "baseline", Instant.EPOCH, 0, 0, drift, List.of(), 0, List.of());
    }

    static ResourceDrift unmanaged(Resource r, Actor actor) {
        return new ResourceDrift(ResourceDrift.Kind.UNMANAGED, r.ref(), List.of(), actor);
    }

    final Codifier codifier = new Codifier(Map.of(Cloud.AWS, MAPPER));

    @Test
    void everyUnmanagedImportableResourceGetsOneImportBlockWithAStableUniqueValidName() {
        Resource a = resource("storage.bucket", "arn:aws:s3:::Logs.Prod", "Logs.Prod");
        Resource b = resource("storage.bucket", "arn:aws:s3:::logs-prod", "logs-prod");
        Resource c = resource("storage.bucket", "arn:aws:s3:::9lives", "9lives");
        Map<String, Resource> observed = new HashMap<>();
        List.of(a, b, c).forEach(r -> observed.put(r.matchKey(), r));

        Codifier.Result result = codifier.codify(report(List.of(unmanaged(b, Actor.UNKNOWN), unmanaged(a,
                Actor.UNKNOWN), unmanaged(c, Actor.UNKNOWN))), observed, List.of());

        assertThat(result.imports()).extracting(Codifier.ImportBlock::address, Codifier.ImportBlock::id)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("aws_s3_bucket.r_9lives", "9lives"),
                        org.assertj.core.groups.Tuple.tuple("aws_s3_bucket.logs_prod", "Logs.Prod"),
                        org.assertj.core.groups.Tuple.tuple("aws_s3_bucket.logs_prod_2", "logs-prod"));
        assertThat(result.hcl()).contains("import {\n  to = aws_s3_bucket.logs_prod\n  id = \"Logs.Prod\"\n}\n");
    }

    @Test
    void theActorAnEventNamedIsWrittenAboveTheBlock() {
        Resource a = resource("storage.bucket", "arn:aws:s3:::made-by-hand", "made-by-hand");

        String hcl = codifier.codify(report(List.of(unmanaged(a, new Actor("user", "AIDA1", "jordan",
                "console")))), Map.of(a.matchKey(), a), List.of()).hcl();

        assertThat(hcl).contains("# aws account 111122223333, region us-east-1: storage.bucket arn:aws:s3:::made-by-hand\n"
                + "# by jordan (user, via console), as the last cloud event about it said\nimport {");
    }

    @Test
    void whatCannotBeImportedIsListedWithTheReasonNeverAsABlock() {
        Resource key = resource("identity.key", "AKIAEXAMPLE", "AKIAEXAMPLE");
        Resource odd = resource("queue.queue", "arn:aws:sqs:us-east-1:111122223333:q", "q");

        Codifier.Result result = codifier.codify(report(List.of(unmanaged(key, Actor.UNKNOWN),
                unmanaged(odd, Actor.UNKNOWN))), Map.of(key.matchKey(), key, odd.matchKey(), odd), List.of());

        assertThat(result.imports()).isEmpty();
        assertThat(result.hcl()).doesNotContain("import {")
                .contains("#   aws identity.key AKIAEXAMPLE: no import for keys here")
                .contains("#   aws queue.queue arn:aws:sqs:us-east-1:111122223333:q: no Terraform resource type is"
                        + " known for queue.queue on aws");
    }

    @Test
    void aChangedResourceListsEachDifferingArgumentUnderItsDeclaredAddress() {
        Resource b = resource("storage.bucket", "arn:aws:s3:::assets", "assets");
        ResourceDrift changed = new ResourceDrift(ResourceDrift.Kind.CHANGED, b.ref(), List.of(
                new AttributeChange("replace", "/versioning", com.fasterxml.jackson.databind.node.BooleanNode.FALSE,
                        com.fasterxml.jackson.databind.node.BooleanNode.TRUE),
                new AttributeChange("add", "/tags/team~1owner", TextNode.valueOf("web"), null),
                new AttributeChange("remove", "/logging", null, TextNode.valueOf("logs"))), Actor.UNKNOWN);
        TerraformInstance declared = new TerraformInstance("module.web.aws_s3_bucket.assets", "aws_s3_bucket",
                "assets", "registry.terraform.io/hashicorp/aws", ModelJson.mapper().createObjectNode()
                .put("id", "assets"));

        String hcl = codifier.codify(report(List.of(changed)), Map.of(b.matchKey(), b), List.of(declared)).hcl();

        assertThat(hcl).contains("# Changed outside Terraform: module.web.aws_s3_bucket.assets (arn:aws:s3:::assets)\n"
                + "#   aws_s3_bucket_versioning.status: true -> false\n"
                + "#   tags[\"team/owner\"]: null -> \"web\"\n"
                + "#   (cloudwarden attribute /logging): \"logs\" -> (absent)\n");
    }

    @Test
    void importIdsAreTerraformStringLiteralsThatStayLiteral() {
        assertThat(Codifier.quote("a\"b\\c${x}%{y}$z")).isEqualTo("\"a\\\"b\\\\c$${x}%%{y}$z\"");
    }

    @Test
    void anEmptyReportIsAHeaderOnly() {
        String hcl = codifier.codify(report(List.of()), Map.of(), List.of()).hcl();

        assertThat(hcl).startsWith("# Generated by cloudwarden codify").doesNotContain("import {")
                .contains("# 0 import block(s), 0 resource(s) not importable, 0 managed resource(s) changed");
    }
}
