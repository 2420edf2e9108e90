package io.orchide.client.oidc;

/**
 * A device login that did not give a token: the issuer refused or could not be asked. {@link #error()} is the OAuth
 * error code when the issuer sent one ({@code access_denied}, {@code expired_token}, ...), else empty. No message
 * carries a device code or a token.
 */
public final class DeviceFlowException extends RuntimeException {
    private final String error;

    public DeviceFlowException(String error, String message) {
        this(error, message, null);
    }

    public DeviceFlowException(String error, String message, Throwable cause) {
        super(message, cause);
        this.error = error == null ? "" : error;
    }

    public String error() { return error; }
}
