package io.cloudwarden.engine.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Cloudwarden's version as the reports state it (SARIF {@code tool.driver.version}, OCSF
 * {@code metadata.product.version}, the HTML report's footer): the Maven project version, stamped into
 * {@code tool.properties} at build time.
 */
public final class ToolVersion {
    private static final String VERSION = load();

    private ToolVersion() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("tool.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/cloudwarden/engine/report/tool.properties is missing from the"
                        + " classpath (the engine jar is incomplete)");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isEmpty() || v.startsWith("${")) {
                throw new IllegalStateException("tool.properties was not filtered by the build: version=" + v);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
