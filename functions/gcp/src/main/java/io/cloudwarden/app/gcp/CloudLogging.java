package io.cloudwarden.app.gcp;

import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Handler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;

/**
 * Makes the app's JSON log lines Cloud Logging's structured format ({@link CloudLoggingFormatter}): first of all
 * start-up observers, every handler quarkus-logging-json gave a JSON formatter (the console; in tests also the file
 * they read) gets the Cloud Logging formatter instead. The few lines Quarkus writes before (boot) stay in
 * quarkus-logging-json's format, with {@code severity} too. Handlers without a JSON formatter (dev mode's text
 * console) are left alone.
 */
@ApplicationScoped
public class CloudLogging {
    @ConfigProperty(name = RequestLogFilter.PROJECT, defaultValue = " ")
    String project;

    void install(@Observes @Priority(1) StartupEvent startup) {
        CloudLoggingFormatter formatter = new CloudLoggingFormatter(project);
        for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) {
            install(h, formatter);
        }
    }

    private static void install(Handler handler, CloudLoggingFormatter formatter) {
        if (handler.getFormatter() instanceof JsonFormatter) {
            handler.setFormatter(formatter);
        }
        if (handler instanceof ExtHandler ext) {
            for (Handler nested : ext.getHandlers()) {
                install(nested, formatter);
            }
        }
    }
}
