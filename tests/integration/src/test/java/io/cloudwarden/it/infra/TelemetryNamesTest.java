package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.functions.telemetry.CloudwardenMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and alarms of {@code infra/} watch metrics the code emits: every Cloudwarden metric name in a
 * module's monitoring files (and docs/TELEMETRY.md) is an instrument of {@link CloudwardenMetrics}, in whichever
 * spelling that platform uses (OpenTelemetry's dotted name on CloudWatch, Application Insights and Cloud Monitoring;
 * the Prometheus name in the docs), and each module's alarms cover unread shards, failed and halted remediations and
 * throttling.
 */
class TelemetryNamesTest {
    /**
     * A dotted instrument name, optionally with EMF's ".count" of a histogram; not a Java package
     * ({@code io.cloudwarden.functions.telemetry}, preceded by a dot).
     */
    private static final Pattern DOTTED = Pattern.compile("(?<![\\w.])cloudwarden(\\.[a-z]+)+");
    /** A Prometheus name: underscores, unit suffix, _total on counters, _bucket/_sum/_count on histograms. */
    private static final Pattern PROMETHEUS = Pattern.compile("cloudwarden(_[a-z]+)+");

    private static List<Path> monitoringFiles() throws IOException {
        try (Stream<Path> files = Files.list(Hcl.REPO.resolve("infra"))) {
            return files.filter(Files::isDirectory).flatMap(dir -> {
                try (Stream<Path> in = Files.list(dir)) {
                    return in.filter(f -> f.getFileName().toString().startsWith("monitoring")).toList().stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void everyMetricTheInfraWatchesIsOneTheCodeEmits() throws IOException {
        List<Path> files = monitoringFiles();
        assertThat(files).extracting(f -> f.getParent().getFileName().toString()).contains("aws", "azure", "gcp");
        Set<String> seen = new TreeSet<>();
        for (Path f : files) {
            Matcher m = DOTTED.matcher(Files.readString(f));
            while (m.find()) {
                String name = m.group().replaceAll("\\.count$", "");
                if (SPANS.contains(name) && !CloudwardenMetrics.NAMES.contains(name)) {
                    continue; // a span name (Application Insights' dependencies), checked below
                }
                seen.add(name);
                assertThat(CloudwardenMetrics.NAMES).as(Hcl.REPO.relativize(f) + " names " + m.group()).contains(name);
            }
        }
        assertThat(seen).contains(CloudwardenMetrics.SHARDS_UNREAD, CloudwardenMetrics.REMEDIATION_PLANS,
                CloudwardenMetrics.API_THROTTLES);
    }

    /** The span names of docs/TELEMETRY.md ("Traces"), which the Azure workbook queries as dependencies. */
    private static final Set<String> SPANS = Set.of("cloudwarden.scan", "cloudwarden.collect", "cloudwarden.evaluate",
            "cloudwarden.plan", "cloudwarden.apply", "cloudwarden.event", "cloudwarden.queue.process");

    @Test
    void theSpanNamesTheInfraQueriesAreTheOnesTheCodeStarts() throws IOException {
        String code = Files.readString(Hcl.REPO.resolve(
                "functions/core/src/main/java/io/cloudwarden/functions/telemetry/Telemetry.java"));
        for (Path f : monitoringFiles()) {
            Matcher m = Pattern.compile("'(cloudwarden\\.[a-z.]+)'").matcher(Files.readString(f));
            while (m.find()) {
                if (!CloudwardenMetrics.NAMES.contains(m.group(1))) {
                    assertThat(SPANS).as(Hcl.REPO.relativize(f) + " queries span " + m.group(1)).contains(m.group(1));
                    assertThat(code).as("Telemetry starts " + m.group(1)).contains("\"" + m.group(1) + "\"");
                }
            }
        }
    }

    @Test
    void everyModuleAlarmsOnUnreadShardsFailedAndHaltedRemediationsAndThrottling() throws IOException {
        for (Path f : monitoringFiles()) {
            String text = Files.readString(f);
            assertThat(text).as(Hcl.REPO.relativize(f).toString()).contains(CloudwardenMetrics.SHARDS_UNREAD,
                    CloudwardenMetrics.REMEDIATION_PLANS, "failed", "halted", CloudwardenMetrics.API_THROTTLES);
        }
    }

    @Test
    void theTelemetryDocListsEveryInstrumentAndOnlyThose() throws IOException {
        String doc = Files.readString(Hcl.REPO.resolve("docs/TELEMETRY.md"));
        for (String name : CloudwardenMetrics.NAMES) {
            assertThat(doc).as("docs/TELEMETRY.md lists " + name).contains("`" + name + "`");
        }
        Matcher dotted = DOTTED.matcher(doc);
        while (dotted.find()) {
            String n = dotted.group();
            if (n.split("\\.").length > 2 && !n.startsWith("cloudwarden.metrics.")
                    && !n.startsWith("cloudwarden.trigger") && !n.startsWith("cloudwarden.gcp.")
                    && !isSpanOrAttribute(n)) {
                // (cloudwarden.gcp.* are the Cloud Run app's configuration keys, e.g. cloudwarden.gcp.trace-project)
                assertThat(CloudwardenMetrics.NAMES).as("docs/TELEMETRY.md names " + n).contains(
                        n.replaceAll("\\.count$", ""));
            }
        }
        Matcher prom = PROMETHEUS.matcher(doc);
        while (prom.find()) {
            String n = prom.group();
            assertThat(CloudwardenMetrics.NAMES.stream().map(x -> x.replace('.', '_')).anyMatch(n::startsWith))
                    .as("docs/TELEMETRY.md names the Prometheus series " + n).isTrue();
        }
    }

    /** Span names and span attributes share the prefix; they are listed in the doc's span section. */
    private static boolean isSpanOrAttribute(String n) {
        return Set.of("cloudwarden.scan", "cloudwarden.collect", "cloudwarden.evaluate", "cloudwarden.plan",
                "cloudwarden.apply", "cloudwarden.event", "cloudwarden.queue.process", "cloudwarden.cloud",
                "cloudwarden.account", "cloudwarden.region", "cloudwarden.type", "cloudwarden.resources",
                "cloudwarden.findings", "cloudwarden.plans", "cloudwarden.run", "cloudwarden.plan.id",
                "cloudwarden.action", "cloudwarden.outcome").contains(n) && !CloudwardenMetrics.NAMES.contains(n);
    }
}
