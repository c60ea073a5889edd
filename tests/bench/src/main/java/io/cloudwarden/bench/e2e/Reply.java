package io.cloudwarden.bench.e2e;

/** One answer of the estate server: status, content type and body. */
record Reply(int status, String contentType, String body) {
    static Reply xml(int status, String body) {
        return new Reply(status, "text/xml", body);
    }

    static Reply json(String body) {
        return new Reply(200, "application/x-amz-json-1.1", body);
    }
}
