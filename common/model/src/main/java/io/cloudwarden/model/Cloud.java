package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The clouds Cloudwarden knows. Serialized in lower case ({@code "aws"}). */
public enum Cloud {
    AWS, AZURE, GCP;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Cloud of(String value) {
        if (value == null) {
            throw new IllegalArgumentException("cloud: expected one of aws, azure, gcp but was null");
        }
        for (Cloud c : values()) {
            if (c.id().equalsIgnoreCase(value.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("cloud: expected one of aws, azure, gcp but was '" + value + "'");
    }

    @Override
    public String toString() {
        return id();
    }
}
