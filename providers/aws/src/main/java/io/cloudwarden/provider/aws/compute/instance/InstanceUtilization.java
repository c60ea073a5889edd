package io.cloudwarden.provider.aws.compute.instance;

import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * CPU utilization of EC2 instances from CloudWatch, in bulk: one {@code GetMetricData} request per 500 instances
 * (the API's limit of queries per call; its paginator follows {@code NextToken} when the datapoints exceed one
 * response), never one call per instance. Each instance is one query on {@code AWS/EC2 CPUUtilization} by
 * {@code InstanceId}, {@code Average} over 5-minute periods, for the window ending now (aligned down to the period).
 * A query's id is {@code q<index>} (GetMetricData ids must start with a lower-case letter and instance ids contain
 * dashes). An instance without datapoints (stopped all window, too new, basic monitoring off) gets no utilization:
 * null, never 0.
 */
public final class InstanceUtilization {
    public static final List<String> PERMISSIONS = List.of("cloudwatch:GetMetricData");
    static final int MAX_QUERIES = 500;

    private final Clock clock;

    public InstanceUtilization(Clock clock) {
        this.clock = clock;
    }

    /**
     * The utilization of each instance id that had datapoints. A failed read throws {@link ProviderException}
     * (naming {@code cloudwatch:GetMetricData} and the error code); callers decide what it leaves unread.
     */
    public Map<String, CpuUtilization> read(AwsSession session, String account, String region,
            List<String> instanceIds) {
        Map<String, CpuUtilization> out = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return out;
        }
        int windowDays = CpuUtilization.windowDays(session.config());
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        end = end.minusSeconds(end.getEpochSecond() % CpuUtilization.PERIOD_SECONDS);
        Instant start = end.minus(Duration.ofDays(windowDays));
        CloudWatchClient cw = session.cloudWatch(account, region);
        for (int from = 0; from < instanceIds.size(); from += MAX_QUERIES) {
            List<String> batch = instanceIds.subList(from, Math.min(from + MAX_QUERIES, instanceIds.size()));
            List<MetricDataQuery> queries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                String id = batch.get(i);
                queries.add(MetricDataQuery.builder().id("q" + i).returnData(true)
                        .metricStat(s -> s.period(CpuUtilization.PERIOD_SECONDS).stat("Average")
                                .metric(m -> m.namespace("AWS/EC2").metricName("CPUUtilization")
                                        .dimensions(Dimension.builder().name("InstanceId").value(id).build())))
                        .build());
            }
            GetMetricDataRequest req = GetMetricDataRequest.builder().metricDataQueries(queries).startTime(start)
                    .endTime(end).scanBy(ScanBy.TIMESTAMP_ASCENDING).build();
            Map<String, List<Double>> values = new HashMap<>();
            AwsCalls.run("cloudwatch:GetMetricData", () -> {
                for (MetricDataResult r : cw.getMetricDataPaginator(req).metricDataResults()) {
                    values.computeIfAbsent(r.id(), k -> new ArrayList<>()).addAll(r.values());
                }
            });
            for (int i = 0; i < batch.size(); i++) {
                Optional<CpuUtilization> u = CpuUtilization.of(values.getOrDefault("q" + i, List.of()), windowDays);
                if (u.isPresent()) {
                    out.put(batch.get(i), u.get());
                }
            }
        }
        return out;
    }
}
