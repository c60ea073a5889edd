package io.cloudwarden.local.sandbox;

/** The packaged sandbox or its saved state is unusable: the message names the file and what was expected. */
public class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }
}
