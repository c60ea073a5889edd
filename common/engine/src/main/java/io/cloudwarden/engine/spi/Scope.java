package io.cloudwarden.engine.spi;

/**
 * How a native type is partitioned: {@code GLOBAL} (one shard per account, region {@code global}, e.g. IAM, S3
 * listing), {@code ACCOUNT} (one shard per account/subscription/project covering all its locations, e.g. a Resource
 * Graph or Cloud Asset Inventory query), {@code REGIONAL} (one shard per account × region, e.g. EC2).
 */
public enum Scope { GLOBAL, ACCOUNT, REGIONAL }
