package io.cloudwarden.engine.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.policy.Evaluation;
import io.cloudwarden.engine.policy.PolicyEngine;
import io.cloudwarden.engine.policy.PolicyLoader;
import io.cloudwarden.engine.policy.Rule;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** A small estate judged by the real built-in pack, so reports render real findings. */
final class ReportFixtures {
    static final Instant TAKEN = Instant.parse("2026-11-23T10:00:00Z");
    static final Instant GENERATED = Instant.parse("2026-11-23T10:05:00Z");

    private ReportFixtures() {
    }

    static Resource resource(Cloud cloud, String account, String region, String type, String id, String name,
            String attributes) {
        try {
            return Resource.builder().cloud(cloud).account(account).region(region).type(type).id(id).name(name)
                    .attributes((ObjectNode) ModelJson.mapper().readTree(attributes)).observedAt(TAKEN).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Snapshot snapshot() {
        return Snapshot.of(TAKEN, List.of(
                resource(Cloud.AWS, "111122223333", "us-east-1", "storage.bucket", "arn:aws:s3:::acme-public",
                        "acme-public", """
                        {"publicAccess": true, "encryption": {"enabled": true, "keyType": "customer-managed"},
                         "versioning": true, "minTlsVersion": null, "logging": true}"""),
                resource(Cloud.GCP, "acme-prod", "global", "network.firewall",
                        "//compute.googleapis.com/projects/acme-prod/global/firewalls/allow-ssh", "allow-ssh", """
                        {"rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp", "fromPort": 22,
                                    "toPort": 22, "ranges": ["0.0.0.0/0"]}],
                         "internetIngress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22}]}"""),
                resource(Cloud.AZURE, "00000000-1111-2222-3333-444444444444", "westeurope", "kms.key",
                        "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-sec/providers/"
                                + "Microsoft.KeyVault/vaults/kv-acme/keys/data",
                        "data", """
                        {"enabled": true, "rotationEnabled": false, "rotationPeriodDays": null}"""),
                resource(Cloud.AWS, "111122223333", "global", "identity.key", "AKIAIOSFODNN7EXAMPLE",
                        "AKIAIOSFODNN7EXAMPLE", """
                        {"active": true, "createdAt": "2026-01-01T00:00:00Z", "ageDays": 326,
                         "lastUsedAt": "not-a-date", "owner": "arn:aws:iam::111122223333:user/ci"}""")),
                List.of(new ScanError(Cloud.AWS, "111122223333", "eu-west-1", "compute.instance",
                        "User is not authorized to perform: ec2:DescribeInstances", "UnauthorizedOperation")));
    }

    static List<Rule> rules() {
        return PolicyLoader.builtIn();
    }

    static FindingsReport findingsReport() {
        Snapshot s = snapshot();
        Evaluation e = new PolicyEngine(rules(), Clock.fixed(TAKEN, ZoneOffset.UTC)).evaluateAll(s.resources());
        return FindingsReport.of(s, e, rules(), GENERATED);
    }

    static FindingsReport emptyReport() {
        return new FindingsReport(GENERATED, java.util.Optional.empty(), 0, List.of(), rules(), List.of());
    }

    static DriftReport driftReport() {
        ResourceRef bucket = new ResourceRef(Cloud.AWS, "111122223333", "us-east-1", "storage.bucket",
                "arn:aws:s3:::acme-invoices");
        ResourceRef sg = new ResourceRef(Cloud.AWS, "111122223333", "us-east-1", "network.firewall",
                "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc");
        ResourceRef vm = new ResourceRef(Cloud.AZURE, "00000000-1111-2222-3333-444444444444", "westeurope",
                "compute.instance", "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-app/"
                + "providers/Microsoft.Compute/virtualMachines/vm-legacy");
        var n = ModelJson.mapper();
        return new DriftReport(DriftReport.SCHEMA_V1, "baseline", GENERATED, 12, 10, List.of(
                new ResourceDrift(ResourceDrift.Kind.CHANGED, bucket, List.of(
                        new AttributeChange("replace", "/publicAccess", n.valueToTree(true), n.valueToTree(false)),
                        new AttributeChange("replace", "/encryption/keyType", n.valueToTree("provider-managed"),
                                n.valueToTree("customer-managed")),
                        new AttributeChange("remove", "/minTlsVersion", null, n.valueToTree("1.2"))),
                        new Actor("user", "AIDAJQABLZS4A3QDU576Q", "alice", "console")),
                new ResourceDrift(ResourceDrift.Kind.CHANGED, sg, List.of(
                        new AttributeChange("add", "/internetIngress/0", n.valueToTree(
                                java.util.Map.of("protocol", "tcp", "fromPort", 22, "toPort", 22)), null)),
                        Actor.UNKNOWN),
                new ResourceDrift(ResourceDrift.Kind.UNMANAGED, vm, List.of(), Actor.UNKNOWN),
                new ResourceDrift(ResourceDrift.Kind.MISSING, new ResourceRef(Cloud.GCP, "acme-prod", "global",
                        "storage.bucket", "//storage.googleapis.com/acme-archive"), List.of(), Actor.UNKNOWN)),
                List.of(new NotCompared("terraform.tfstate", "aws_lambda_function.api",
                        "no provider maps aws_lambda_function")), 1);
    }

    static String render(FindingsReport r, ReportFormat f, boolean color) {
        return render(r, f, color, TABLE_WIDTH);
    }

    /** The width the CLI fits tables to when it cannot tell the terminal's. */
    static final int TABLE_WIDTH = 120;

    static String render(FindingsReport r, ReportFormat f, boolean color, int width) {
        StringWriter w = new StringWriter();
        try {
            FindingsReportWriter.write(r, f, w, color, width);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static String render(DriftReport r, ReportFormat f) {
        return render(r, f, TABLE_WIDTH);
    }

    static String render(DriftReport r, ReportFormat f, int width) {
        StringWriter w = new StringWriter();
        try {
            DriftReportWriter.write(r, f, w, false, width);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static String golden(String name) {
        try (InputStream in = ReportFixtures.class.getResourceAsStream("/report/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file /report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
