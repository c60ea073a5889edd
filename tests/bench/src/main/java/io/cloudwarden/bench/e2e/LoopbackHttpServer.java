package io.cloudwarden.bench.e2e;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The estate server's plain-HTTP front: a minimal HTTP/1.1 server on 127.0.0.1 that reads each request on the
 * connection's own thread (one thread per connection, keep-alive, {@code Content-Length} or chunked request bodies,
 * {@code Expect: 100-continue}) and hands it to the same {@link HttpHandler} as the JDK's server, through an
 * {@link HttpExchange} of its own. Every answer carries a {@code Content-Length}.
 *
 * <p>Why not the JDK's {@code HttpServer}: the benchmark's stand-in cloud shares the 2 cores with the scan it serves,
 * and the JDK's server (a selector thread handing every request to a worker, per-request header maps, chunked
 * framing state) took 10.8–11.7 CPU-seconds of a 10,000-bucket scan's ≈ 44 core-seconds — CPU that a real cloud
 * spends on its own machines. Reading and answering on one thread per connection is the cheapest blocking shape for
 * the few hundred connections a scan keeps open (docs/PERFORMANCE.md, "A cheaper stand-in cloud"). The HTTPS port
 * (Azure) stays on the JDK's {@code HttpsServer}: TLS is not worth re-implementing for a stand-in.
 *
 * <p>Not a general server: no pipelining beyond reading the next request after answering the last, no trailers, no
 * request line or header over 64 KiB, and a handler that throws closes the connection without an answer (as the JDK's
 * server does).
 */
final class LoopbackHttpServer {
    private static final int MAX_LINE = 64 * 1024;

    private final ServerSocket socket;
    private final HttpHandler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean stopped;

    private LoopbackHttpServer(ServerSocket socket, HttpHandler handler) {
        this.socket = socket;
        this.handler = handler;
        // Not a daemon: run as a program (WireEstateServer.main) the server lives until it is killed.
        this.acceptor = new Thread(this::accept, "wire-estate-accept");
    }

    static LoopbackHttpServer start(int port, HttpHandler handler) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        LoopbackHttpServer server = new LoopbackHttpServer(s, handler);
        server.acceptor.start();
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    void stop() {
        stopped = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    private void accept() {
        while (!stopped) {
            Socket s;
            try {
                s = socket.accept();
                s.setTcpNoDelay(true);   // else every answer waits on the client's delayed ACK (~40 ms)
            } catch (IOException e) {
                if (stopped) {
                    return;
                }
                System.err.println("estate server: accept failed: " + e);
                continue;
            }
            open.add(s);
            Thread t = new Thread(() -> connection(s), "wire-estate-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connection(Socket s) {
        try (s; OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024)) {
            Input in = new Input(s.getInputStream());
            while (!stopped) {
                String requestLine = in.line();
                if (requestLine == null) {
                    return;   // the client closed the connection
                }
                if (requestLine.isEmpty()) {
                    continue; // a stray CRLF between requests (RFC 9112 §2.2)
                }
                String[] parts = requestLine.split(" ", 3);
                if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                    badRequest(out);
                    return;
                }
                Headers headers = new Headers();
                for (String h = in.line(); h != null && !h.isEmpty(); h = in.line()) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        badRequest(out);
                        return;
                    }
                    headers.add(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                }
                if ("100-continue".equalsIgnoreCase(headers.getFirst("Expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                byte[] body;
                URI uri;
                try {
                    body = body(in, headers);
                    uri = URI.create(parts[1]);
                } catch (IllegalArgumentException e) {   // a malformed target, length or chunk size
                    badRequest(out);
                    return;
                }
                boolean close = "close".equalsIgnoreCase(headers.getFirst("Connection"))
                        || parts[2].equals("HTTP/1.0");
                Exchange ex = new Exchange(s, parts[0], uri, parts[2], headers, body);
                try {
                    handler.handle(ex);
                } catch (IOException | RuntimeException e) {
                    return;   // the handler said why on stderr; drop the connection as the JDK's server does
                }
                if (!ex.answer(out, close)) {
                    return;
                }
                if (close) {
                    return;
                }
            }
        } catch (SocketException e) {
            // the client or stop() closed the connection
        } catch (IOException e) {
            if (!stopped) {
                System.err.println("estate server: connection failed: " + e);
            }
        } finally {
            open.remove(s);
        }
    }

    private static byte[] body(Input in, Headers headers) throws IOException {
        String te = headers.getFirst("Transfer-Encoding");
        if (te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String size = in.line();
                if (size == null) {
                    throw new IOException("connection closed inside a chunked body");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    for (String t = in.line(); t != null && !t.isEmpty(); t = in.line()) {
                        // trailers: ignored
                    }
                    return b.toByteArray();
                }
                b.write(in.bytes(n));
                in.line();   // the CRLF after the chunk
            }
        }
        String length = headers.getFirst("Content-Length");
        if (length == null) {
            return new byte[0];
        }
        return in.bytes(Integer.parseInt(length.trim()));
    }

    /** A request this server cannot read: answered 400, and the connection closed (its framing is lost). */
    private static void badRequest(OutputStream out) throws IOException {
        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * The connection's input, buffered here rather than through {@code BufferedInputStream} (whose every one-byte
     * read takes a lock): CRLF- (or LF-) terminated lines of ISO-8859-1, as HTTP/1.1 frames its request line, headers
     * and chunk sizes, and bodies of a known length.
     */
    private static final class Input {
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;
        private final StringBuilder line = new StringBuilder(256);

        Input(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        /** The next line without its terminator, or null at the end of the stream before any byte of a line. */
        String line() throws IOException {
            line.setLength(0);
            while (true) {
                if (pos == limit && !fill()) {
                    return line.length() == 0 ? null : line.toString();
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') {
                        line.setLength(n - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= MAX_LINE) {
                    throw new IOException("request line or header over " + MAX_LINE + " bytes");
                }
                line.append((char) (c & 0xff));
            }
        }

        /** Exactly {@code n} bytes. */
        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            int got = 0;
            while (got < n) {
                if (pos == limit && !fill()) {
                    throw new IOException("connection closed after " + got + " of " + n + " body bytes");
                }
                int k = Math.min(n - got, limit - pos);
                System.arraycopy(buf, pos, b, got, k);
                pos += k;
                got += k;
            }
            return b;
        }
    }

    /** One request and the answer the handler builds for it, written to the connection by {@link #answer}. */
    private static final class Exchange extends HttpExchange {
        private final Socket socket;
        private final String method;
        private final URI uri;
        private final String protocol;
        private final Headers requestHeaders;
        private final Headers responseHeaders = new Headers();
        private InputStream requestBody;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        private OutputStream responseBody = buffer;
        private final Map<String, Object> attributes = new HashMap<>();
        private int status = -1;

        Exchange(Socket socket, String method, URI uri, String protocol, Headers requestHeaders, byte[] body) {
            this.socket = socket;
            this.method = method;
            this.uri = uri;
            this.protocol = protocol;
            this.requestHeaders = requestHeaders;
            this.requestBody = new ByteArrayInputStream(body);
        }

        /** Writes the answer; false when the handler sent none (the connection is then dropped). */
        boolean answer(OutputStream out, boolean close) throws IOException {
            if (status < 0) {
                return false;
            }
            StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                    .append(reason(status)).append("\r\n");
            for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
                if (h.getKey().equalsIgnoreCase("Content-Length")) {
                    continue;
                }
                for (String v : h.getValue()) {
                    head.append(h.getKey()).append(": ").append(v).append("\r\n");
                }
            }
            // HEAD: the length of the body a GET would have (none here); otherwise the bytes the handler wrote.
            head.append("Content-Length: ").append(method.equals("HEAD") ? 0 : buffer.size()).append("\r\n");
            if (close) {
                head.append("Connection: close\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (!method.equals("HEAD")) {
                buffer.writeTo(out);
            }
            out.flush();
            return true;
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 409 -> "Conflict";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 501 -> "Not Implemented";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }

        @Override
        public Headers getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return uri;
        }

        @Override
        public String getRequestMethod() {
            return method;
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {
            // the answer is written by the connection's loop once the handler returns
        }

        @Override
        public InputStream getRequestBody() {
            return requestBody;
        }

        @Override
        public OutputStream getResponseBody() {
            return responseBody;
        }

        /** As the JDK's: {@code -1} means no body; any other length is taken from what the handler writes. */
        @Override
        public void sendResponseHeaders(int rCode, long responseLength) {
            if (status >= 0) {
                throw new IllegalStateException("headers already sent");
            }
            status = rCode;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return (InetSocketAddress) socket.getRemoteSocketAddress();
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public String getProtocol() {
            return protocol;
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            if (i != null) {
                requestBody = i;
            }
            if (o != null) {
                responseBody = o;
            }
        }

        @Override
        public com.sun.net.httpserver.HttpPrincipal getPrincipal() {
            return null;
        }
    }
}
