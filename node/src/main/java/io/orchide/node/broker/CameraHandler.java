package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.node.device.Camera;
import io.orchide.node.device.DatasetWriter;
import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.Frame;
import io.orchide.node.device.PositionSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A camera behind the broker: a {@code capture} takes a frame where the satellite is now and places it in the
 * dataset the request names ({@code {"dataset": "scenes"}}), which the caller must be allowed to write; the answer
 * names the file. {@code read} and {@code configure} are those of {@link TwinHandler}.
 */
public final class CameraHandler implements DeviceHandler {
    private final Camera camera;
    private final PositionSource position;
    private final Clock clock;
    private final Function<String, Path> datasetDir;
    private final BiPredicate<Caller, String> mayWrite;
    private final TwinHandler properties;

    public CameraHandler(Camera camera, PositionSource position, Clock clock, Function<String, Path> datasetDir,
                         BiPredicate<Caller, String> mayWrite, TwinHandler properties) {
        this.camera = camera;
        this.position = position;
        this.clock = clock;
        this.datasetDir = datasetDir;
        this.mayWrite = mayWrite;
        this.properties = properties;
    }

    @Override
    public ObjectNode handle(DeviceGrantSpec.Verb verb, DeviceTwin.View device, Caller caller, JsonNode args)
            throws IOException {
        if (verb != DeviceGrantSpec.Verb.CAPTURE) return properties.handle(verb, device, caller, args);
        String dataset = args.path("dataset").asText(null);
        if (dataset == null || io.orchide.model.Names.dnsLabelProblem(dataset) != null) {
            throw new DeviceInputException("dataset", dataset, "must name the dataset the capture goes to");
        }
        if (!mayWrite.test(caller, dataset)) {
            throw new DeviceInputException("dataset", dataset, caller.kind() + " " + caller.name() + " of tenant "
                    + caller.tenant() + " may not write this dataset");
        }
        Frame frame = camera.capture(position.at(clock.instant()));
        new DatasetWriter(datasetDir.apply(dataset)).write(frame);
        ObjectNode o = TwinHandler.JSON.createObjectNode();
        o.put("dataset", dataset).put("file", frame.name()).put("bytes", frame.size()).put("time", frame.time().toString());
        o.putObject("position").put("latitudeDeg", frame.position().latitudeDeg())
                .put("longitudeDeg", frame.position().longitudeDeg());
        return o;
    }
}
