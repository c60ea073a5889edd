package io.cloudwarden.engine.spi;

import io.cloudwarden.model.Cloud;

/** One unit of scan work: cloud × account × region × normalized type. Region is {@code global} for global types. */
public record Shard(Cloud cloud, String account, String region, String type) {
    public static final String GLOBAL = io.cloudwarden.model.ScanError.GLOBAL_REGION;

    @Override
    public String toString() {
        return cloud + "/" + account + "/" + region + "/" + type;
    }
}
