package io.cloudwarden.provider.gcp.session;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.BaseServiceException;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import java.util.concurrent.ExecutionException;

/** Maps Google client failures onto {@link ProviderException} (cloud, operation, native code, retryable). */
public final class GcpErrors {
    private GcpErrors() {
    }

    public static ProviderException map(String operation, Throwable t) {
        Throwable e = t;
        while ((e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ProviderException pe) {
            return pe;
        }
        if (e instanceof ApiException api) {
            String code = api.getStatusCode().getCode().name();
            return new ProviderException(Cloud.GCP, operation, code, api.isRetryable(),
                    operation + " failed: " + code + " " + firstLine(api.getMessage()), api);
        }
        if (e instanceof BaseServiceException se) {
            String code = se.getReason() != null ? se.getReason() : String.valueOf(se.getCode());
            return new ProviderException(Cloud.GCP, operation, code, se.isRetryable(),
                    operation + " failed: HTTP " + se.getCode() + " " + firstLine(se.getMessage()), se);
        }
        if (e instanceof HttpResponseException he) {
            int s = he.getStatusCode();
            return new ProviderException(Cloud.GCP, operation, String.valueOf(s), s == 429 || s / 100 == 5,
                    operation + " failed: HTTP " + s + " " + firstLine(he.getStatusMessage()), he);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ProviderException(Cloud.GCP, operation, "", true,
                operation + " failed: " + e.getClass().getSimpleName() + " " + firstLine(e.getMessage()), e);
    }

    /** True when the failure means the resource does not exist (HTTP 404 / NOT_FOUND). */
    public static boolean isNotFound(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && (e instanceof ExecutionException
                || e instanceof java.util.concurrent.CompletionException)) {
            e = e.getCause();
        }
        if (e instanceof ApiException api) {
            return api.getStatusCode().getCode() == com.google.api.gax.rpc.StatusCode.Code.NOT_FOUND;
        }
        if (e instanceof BaseServiceException se) {
            return se.getCode() == 404;
        }
        return e instanceof HttpResponseException he && he.getStatusCode() == 404;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
