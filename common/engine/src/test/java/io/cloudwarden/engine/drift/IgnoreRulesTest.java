package io.cloudwarden.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.model.Cloud;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {
    private static final String FILE = """
            # comments and blank lines are skipped

            aws:storage.bucket:arn:aws:s3:::scratch-*
            azure:*:/subscriptions/*/resourceGroups/rg-sandbox/*
            attribute: /tags/*
            attribute: storage.bucket /logging
            attribute: network.firewall /rules/**/description
            """;

    private final IgnoreRules rules = IgnoreRules.parse(FILE, ".cloudwardenignore");

    @Test
    void resourcePatternsAreGlobsOverCloudTypeAndId() {
        assertThat(rules.ignoresResource(Cloud.AWS, "storage.bucket", "arn:aws:s3:::scratch-42")).isTrue();
        assertThat(rules.ignoresResource(Cloud.AWS, "storage.bucket", "arn:aws:s3:::prod-logs")).isFalse();
        assertThat(rules.ignoresResource(Cloud.GCP, "storage.bucket", "arn:aws:s3:::scratch-42")).isFalse();
    }

    @Test
    void azurePatternsMatchCaseInsensitively() {
        assertThat(rules.ignoresResource(Cloud.AZURE, "kms.key",
                "/subscriptions/0000/resourceGroups/RG-Sandbox/providers/Microsoft.KeyVault/vaults/v")).isTrue();
        assertThat(rules.ignoresResource(Cloud.AZURE, "kms.key",
                "/subscriptions/0000/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/v")).isFalse();
    }

    @Test
    void attributePathsApplyGloballyOrPerTypeAndCoverChildren() {
        assertThat(rules.ignoresPath("kms.key", "/tags/owner")).isTrue();
        assertThat(rules.ignoresPath("kms.key", "/tags")).isFalse();
        assertThat(rules.ignoresPath("storage.bucket", "/logging")).isTrue();
        assertThat(rules.ignoresPath("storage.bucket", "/logging/target")).isTrue();
        assertThat(rules.ignoresPath("storage.bucket", "/loggingX")).isFalse();
        assertThat(rules.ignoresPath("kms.key", "/logging")).isFalse();
        assertThat(rules.ignoresPath("network.firewall", "/rules/3/description")).isTrue();
        assertThat(rules.ignoresPath("network.firewall", "/rules/3/fromPort")).isFalse();
    }

    @Test
    void badLinesNameFileAndLine() {
        assertThatThrownBy(() -> IgnoreRules.parse("# ok\nattribute: logging\n", "ci/.cloudwardenignore"))
                .isInstanceOf(IgnoreFileException.class)
                .hasMessageStartingWith("ci/.cloudwardenignore:2: ")
                .hasMessageContaining("JSON pointer");
        assertThatThrownBy(() -> IgnoreRules.parse("scratch-bucket\n", "x"))
                .isInstanceOf(IgnoreFileException.class)
                .hasMessageContaining("x:1: expected a resource pattern 'cloud:type:id'");
        assertThatThrownBy(() -> IgnoreRules.parse("\n\naws2:storage.bucket:x\n", "x"))
                .isInstanceOf(IgnoreFileException.class)
                .hasMessageContaining("x:3: cloud: expected one of aws, azure, gcp");
        assertThatThrownBy(() -> IgnoreRules.parse("attribute: s3.bucket /logging\n", "x"))
                .isInstanceOf(IgnoreFileException.class)
                .hasMessageContaining("x:1: expected a normalized type")
                .hasMessageContaining("'s3.bucket'");
        assertThatThrownBy(() -> IgnoreRules.parse("attribute: a b /c\n", "x"))
                .isInstanceOf(IgnoreFileException.class)
                .hasMessageContaining("x:1:");
    }

    @Test
    void noRulesIgnoreNothing() {
        assertThat(IgnoreRules.none().isEmpty()).isTrue();
        assertThat(IgnoreRules.parse("# only a comment\n", "x").ignoresPath("kms.key", "/enabled")).isFalse();
    }
}
