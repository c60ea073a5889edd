package io.cloudwarden.provider.aws.session;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Makes a response body cut off mid-way (connection dropped, fewer bytes than its {@code Content-Length}, a broken
 * chunk) fail <em>inside</em> the HTTP call, where the SDK's retry strategy sees it as the transient I/O failure it is.
 *
 * <p>Why: with {@link software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient} the SDK reads the body
 * after the call returned, while unmarshalling. A body that ends early then either parses as truncated XML (an
 * {@code SdkClientException} the default retry condition does not retry) or throws an {@code UncheckedIOException}
 * from the XML parser that escapes the retry stage altogether: one dropped connection failed a whole shard after one
 * attempt. So bodies of up to {@link #BUFFER_LIMIT} bytes (every control-plane response; and chunked bodies, whose
 * length is not known) are read completely here and their length checked against {@code Content-Length}. Larger
 * bodies of known length (state-store objects) stay streamed, with the same length check failing the read.
 */
final class CompleteBodyHttpClient implements SdkHttpClient {
    /** Bodies at most this long (or of unknown length) are read whole inside the call. */
    static final long BUFFER_LIMIT = 8L * 1024 * 1024;

    private final SdkHttpClient delegate;

    CompleteBodyHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** A response body that ended before its declared length or broke off while read. Transient: retried. */
    static final class CutOffResponseException extends IOException {
        CutOffResponseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest call = delegate.prepareRequest(request);
        boolean head = request.httpRequest().method() == SdkHttpMethod.HEAD;
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                HttpExecuteResponse response = call.call();
                Optional<AbortableInputStream> body = response.responseBody();
                if (head || body.isEmpty()) {
                    return response;
                }
                OptionalLong declared = response.httpResponse().firstMatchingHeader("Content-Length")
                        .map(v -> OptionalLong.of(Long.parseLong(v.trim()))).orElse(OptionalLong.empty());
                AbortableInputStream in = body.get();
                if (declared.isPresent() && declared.getAsLong() > BUFFER_LIMIT) {
                    return HttpExecuteResponse.builder().response(response.httpResponse())
                            .responseBody(AbortableInputStream.create(new LengthChecked(in, declared.getAsLong()), in))
                            .build();
                }
                byte[] bytes;
                try (in) {
                    // Of known length: read exactly that many bytes into one array of that size (readAllBytes
                    // allocates 8 KiB chunks and a copy, ~16 KiB for a 300-byte answer, and reads on to EOF); a body
                    // that ends early comes back shorter and fails the check below.
                    bytes = declared.isPresent() ? in.readNBytes((int) declared.getAsLong()) : in.readAllBytes();
                } catch (IOException e) {
                    throw new CutOffResponseException("response body broke off while read (" + e.getMessage() + ")",
                            e);
                }
                if (declared.isPresent() && bytes.length != declared.getAsLong()) {
                    throw new CutOffResponseException("response body cut off: " + bytes.length + " of "
                            + declared.getAsLong() + " bytes (Content-Length) received", null);
                }
                return HttpExecuteResponse.builder().response(response.httpResponse())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
            }

            @Override
            public void abort() {
                call.abort();
            }
        };
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    /** A streamed body that fails its read when it ends before its declared length. */
    private static final class LengthChecked extends FilterInputStream {
        private final long declared;
        private long read;

        LengthChecked(InputStream in, long declared) {
            super(in);
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            return count(b < 0 ? -1 : 1) < 0 ? -1 : b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return (int) count(super.read(b, off, len));
        }

        private long count(int n) throws IOException {
            if (n < 0) {
                if (read < declared) {
                    throw new CutOffResponseException("response body cut off: " + read + " of " + declared
                            + " bytes (Content-Length) received", null);
                }
                return -1;
            }
            read += n;
            return n;
        }
    }
}
