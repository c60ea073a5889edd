package io.cloudwarden.app.aws;

import io.opentelemetry.context.Scope;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InterceptorBinding;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a Lambda handler: while an invocation runs, its X-Ray trace context is current (the spans it starts join the
 * invocation's X-Ray trace); when it ends (returned or failed), its spans are exported before the response leaves
 * ({@link InvocationTracing}). Does nothing when no OTLP endpoint is configured.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TracesInvocation {
    /** The interceptor: X-Ray context current, run the handler, flush the spans. */
    @TracesInvocation
    @Interceptor
    @Priority(Interceptor.Priority.APPLICATION)
    final class Tracer {
        @Inject
        InvocationTracing tracing;

        @AroundInvoke
        Object trace(InvocationContext invocation) throws Exception {
            try (Scope ignored = tracing.enterInvocation()) {
                return invocation.proceed();
            } finally {
                tracing.flush();
            }
        }
    }
}
