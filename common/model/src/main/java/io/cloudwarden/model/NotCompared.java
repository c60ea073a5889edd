package io.cloudwarden.model;

/** A baseline entry that could not be compared (e.g. a Terraform type no provider maps), with the reason. */
public record NotCompared(String source, String address, String reason) {
}
