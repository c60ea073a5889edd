package io.cloudwarden.model;

/**
 * A shard (cloud × account × region × type) that could not be read. Recorded in the snapshot so a failed shard is
 * never a silent gap. {@code code} is the cloud's native error code when known (e.g. {@code AccessDenied}).
 */
public record ScanError(Cloud cloud, String account, String region, String type, String message, String code) {
    public ScanError {
        account = account == null ? "" : account;
        region = region == null ? "" : region;
        type = type == null ? "" : type;
        message = message == null ? "" : message;
        code = code == null ? "" : code;
    }
}
