package io.orchide.node.device;

import io.orchide.model.FieldValueException;

/** A value handed to a device (a position, a frame, a file name) was rejected, with its field and value. */
public final class DeviceInputException extends FieldValueException {
    private static final long serialVersionUID = 1L;

    public DeviceInputException(String field, Object value, String reason) {
        super(field, value, reason);
    }
}
