package io.orchide.client.oidc;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * The issuer's answer to a device authorization request (RFC 8628 3.2): what the user is shown (where to go, which
 * code to type) and what the device polls with. {@link #toString()} leaves the device code out.
 *
 * @param verificationUriComplete the address with the user code in it; null when the issuer gives none
 * @param expires                 when the device code stops being accepted, by the client's clock
 * @param interval                the least time between two polls of the token endpoint
 */
public record DeviceAuthorization(String deviceCode, String userCode, URI verificationUri, URI verificationUriComplete,
                                  Instant expires, Duration interval) {
    @Override
    public String toString() {
        return "DeviceAuthorization[userCode=" + userCode + ", verificationUri=" + verificationUri + ", expires="
                + expires + ", interval=" + interval + "]";
    }
}
