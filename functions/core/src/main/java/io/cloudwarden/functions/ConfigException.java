package io.cloudwarden.functions;

/** A configuration value that cannot be used: names the key, what was expected and what was found. */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String expected, String actual) {
        super(key + ": expected " + expected + " but was '" + actual + "'");
        this.key = key;
    }

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
