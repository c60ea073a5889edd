package io.cloudwarden.local;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.engine.audit.AuditChain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The CLI's log lines on stderr, {@code --log-format text|json} ({@code CLOUDWARDEN_LOG_FORMAT}).
 *
 * <p><b>One backend.</b> The CLI's log lines come through three APIs: slf4j (the cloud SDKs), {@code System.Logger}
 * and {@code java.util.logging} (the core). All three reach java.util.logging without extra bridges (slf4j through
 * {@code slf4j-jdk14}, System.Logger by the JDK's default), so the CLI formats JUL's root handler and nothing else;
 * JSON lines are written with Jackson, which the project already uses for every other JSON it writes. A logging
 * framework with its own JSON layout (Logback with an encoder, Log4j 2) would add a backend, its configuration and
 * the bridges for the other two APIs for the same result.
 *
 * <p><b>Levels.</b> Cloudwarden's own loggers ({@code io.cloudwarden.*}) at INFO, everything else (the SDKs) at
 * WARNING, as before. <b>JSON lines</b>: one object per line with {@code time} (ISO-8601 UTC), {@code severity}
 * (Cloud Logging's names: DEBUG, INFO, WARNING, ERROR), {@code logger}, {@code message}, then the record's
 * structured fields (the MDC: {@code cloud}, {@code trigger}, counts, {@code durationMs}, {@code requestId} where
 * there is one), integer values as JSON numbers, and {@code exception} when the record carries one. <b>Secrets</b>:
 * a field whose name looks secret (the audit trail's rule, {@link AuditChain#looksSecret}) is written as
 * {@code [redacted]}, and so is the value of a secret-looking {@code key=value} or {@code key: value} in a message.
 */
final class CliLogging {
    enum Format { TEXT, JSON }

    static final String ENV = "CLOUDWARDEN_LOG_FORMAT";
    static final String REDACTED = "[redacted]";
    private static final Pattern KEY_VALUE = Pattern.compile(
            "([A-Za-z0-9_.-]+)(\\s*[=:]\\s*)(\"[^\"]*\"|[^\\s,;&]+)");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Held here: JUL keeps loggers weakly, and a collected logger would lose the level set on it. */
    private static final Logger OWN = Logger.getLogger("io.cloudwarden");
    /** The line's own fields: a structured field of the same name is left out rather than written twice. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("time", "severity", "logger", "message",
            "exception");

    private CliLogging() {
    }

    /** The format from the option, else the environment, else text; anything else is an input error. */
    static Format resolve(String option, Map<String, String> env) {
        String value = option != null ? option : env.get(ENV);
        if (value == null || value.isBlank()) {
            return Format.TEXT;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new InputException((option != null ? "--log-format" : ENV) + ": expected text or json"
                    + " but was '" + value + "'");
        };
    }

    /** Replaces the root handlers by one writing {@code format} lines to {@code err}. */
    static void install(Format format, PrintWriter err) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.setLevel(Level.WARNING);
        OWN.setLevel(Level.INFO);
        root.addHandler(new Handler() {
            private final Formatter formatter = format == Format.JSON ? new JsonLines() : new TextLines();

            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) {
                    return;
                }
                String line = formatter.format(r);
                synchronized (err) {
                    err.print(line);
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                err.flush();
            }
        });
    }

    /** Cloud Logging's severity names (JUL's SEVERE is ERROR, FINE and below DEBUG). */
    static String severity(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARNING";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        return "DEBUG";
    }

    /** {@code message} with the values of secret-looking {@code key=value} / {@code key: value} pairs redacted. */
    static String redact(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = KEY_VALUE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = AuditChain.looksSecret(m.group(1)) ? m.group(1) + m.group(2) + REDACTED : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String message(LogRecord r) {
        return redact(new java.util.logging.SimpleFormatter().formatMessage(r));
    }

    /** One JSON object per line (see the class comment). */
    static final class JsonLines extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("time", Instant.ofEpochMilli(r.getMillis()).toString());
                g.writeStringField("severity", severity(r.getLevel()));
                g.writeStringField("logger", r.getLoggerName() == null ? "" : r.getLoggerName());
                g.writeStringField("message", message(r));
                Map<String, String> mdc = MDC.getCopyOfContextMap();
                if (mdc != null) {
                    for (Map.Entry<String, String> e : new java.util.TreeMap<>(mdc).entrySet()) {
                        if (RESERVED.contains(e.getKey())) {
                            continue;
                        }
                        g.writeFieldName(e.getKey());
                        String v = e.getValue();
                        if (AuditChain.looksSecret(e.getKey())) {
                            g.writeString(REDACTED);
                        } else if (v != null && INTEGER.matcher(v).matches()) {
                            g.writeNumber(Long.parseLong(v));
                        } else {
                            g.writeString(v);
                        }
                    }
                }
                if (r.getThrown() != null) {
                    g.writeStringField("exception", redact(r.getThrown().toString()));
                }
                g.writeEndObject();
            } catch (IOException e) {
                return "{\"severity\":\"ERROR\",\"message\":\"unwritable log record\"}" + System.lineSeparator();
            }
            return w + System.lineSeparator();
        }
    }

    /** {@code SEVERITY logger: message} on one line, as the CLI printed SDK warnings before. */
    static final class TextLines extends Formatter {
        @Override
        public String format(LogRecord r) {
            String line = severity(r.getLevel()) + " " + r.getLoggerName() + ": " + message(r);
            if (r.getThrown() != null) {
                line += " (" + redact(r.getThrown().toString()) + ")";
            }
            return line + System.lineSeparator();
        }
    }
}
