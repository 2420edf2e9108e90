package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.node.device.DeviceTwin;

import java.io.IOException;

/**
 * Does what the broker allowed on one device (a capture, a reading, a reconfiguration) and answers with what a
 * workload gets back. Called with the device's lease held for capture and configure. A refusal of the request's
 * content (a dataset it may not write, a bad property) is a {@link io.orchide.model.FieldValueException} naming the
 * field.
 */
public interface DeviceHandler {
    ObjectNode handle(DeviceGrantSpec.Verb verb, DeviceTwin.View device, Caller caller, JsonNode args) throws IOException;
}
