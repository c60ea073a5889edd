package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One resource instance from a Terraform state (format version 4): {@code address} is the full address
 * ({@code module.x.aws_s3_bucket.logs["a"]}), {@code provider} the provider source
 * ({@code registry.terraform.io/hashicorp/aws}), {@code attributes} the instance's attribute object.
 */
public record TerraformInstance(String address, String type, String name, String provider, JsonNode attributes) {
}
