package io.cloudwarden.local;

/** Bad CLI input: a missing or unreadable file, a malformed value. Exit code 2, one line. */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }
}
