package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.DeviceTwin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every device does without a handler of its own: {@code read} answers its properties, desired and reported;
 * {@code configure} sets desired properties ({@code {"properties": {"gain": "4"}}}) and answers those not reported
 * yet; {@code capture} is refused, as nothing here can take one.
 */
public final class TwinHandler implements DeviceHandler {
    static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceTwin twin;

    public TwinHandler(DeviceTwin twin) {
        this.twin = twin;
    }

    @Override
    public ObjectNode handle(DeviceGrantSpec.Verb verb, DeviceTwin.View device, Caller caller, JsonNode args) {
        switch (verb) {
            case READ -> {
                return properties(device);
            }
            case CONFIGURE -> {
                JsonNode p = args.path("properties");
                if (!p.isObject() || p.isEmpty()) {
                    throw new DeviceInputException("properties", p.isMissingNode() ? null : p.toString(),
                            "must be a mapping of property names to strings");
                }
                Map<String, String> set = new LinkedHashMap<>();
                p.fields().forEachRemaining(e -> {
                    if (!e.getValue().isTextual()) {
                        throw new DeviceInputException("properties." + e.getKey(), e.getValue().toString(), "must be a string");
                    }
                    set.put(e.getKey(), e.getValue().textValue());
                });
                twin.configure(device.name(), set);
                return properties(twin.get(device.name()).orElseThrow());
            }
            default -> throw new DeviceInputException("verb", verb.toString(),
                    "device " + device.name() + " (" + device.device().deviceClass() + ") has nothing that can capture");
        }
    }

    static ObjectNode properties(DeviceTwin.View v) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode d = o.putObject("desired");
        v.desired().forEach(d::put);
        ObjectNode r = o.putObject("reported");
        v.reported().forEach(r::put);
        ObjectNode p = o.putObject("pending");
        v.pending().forEach(p::put);
        return o;
    }
}
