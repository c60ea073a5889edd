package io.cloudwarden.functions.permissions;

/**
 * A permission set cannot be produced: an unknown role or format name, a cloud without a registered provider, no
 * permission to grant, or a permission string that is not a valid (non-wildcard) action of its cloud.
 *
 * <p>An {@link IllegalArgumentException}, so callers that already turn bad input into a usage error (the CLI's exit
 * code 2) do so here too.
 */
public class PermissionsException extends IllegalArgumentException {
    public PermissionsException(String message) {
        super(message);
    }
}
