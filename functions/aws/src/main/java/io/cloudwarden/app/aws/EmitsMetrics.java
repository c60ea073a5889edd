package io.cloudwarden.app.aws;

import com.amazonaws.services.lambda.runtime.Context;
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
 * On a Lambda handler: after every invocation (returned or failed) the metrics it recorded are written as EMF lines
 * with its request id ({@link EmfMetrics#emit}).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface EmitsMetrics {
    /** The interceptor: runs the handler, then emits. */
    @EmitsMetrics
    @Interceptor
    @Priority(Interceptor.Priority.APPLICATION)
    final class Emitter {
        @Inject
        EmfMetrics metrics;

        @AroundInvoke
        Object emit(InvocationContext invocation) throws Exception {
            try {
                return invocation.proceed();
            } finally {
                String requestId = "";
                for (Object p : invocation.getParameters()) {
                    if (p instanceof Context c && c.getAwsRequestId() != null) {
                        requestId = c.getAwsRequestId();
                    }
                }
                metrics.emit(requestId);
            }
        }
    }
}
