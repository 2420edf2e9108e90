package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.Deliveries;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.EventCommand;
import io.orchide.model.message.MessageException;
import io.orchide.node.pipeline.run.Pipelines;

/**
 * Takes the bundles ground sends, once each (the link stores them before it acknowledges and hands each over until
 * this returns): desired-state changes, named events, image manifests and chunks. A payload that does not decode
 * changes nothing and is reported in the next status report rather than thrown back (it would never decode).
 */
final class UplinkIntake implements Deliveries {
    private final DesiredApplier desired;
    private final Pipelines pipelines;
    private final ImageIntake images;
    private final NodeEvents events;

    UplinkIntake(DesiredApplier desired, Pipelines pipelines, ImageIntake images, NodeEvents events) {
        this.desired = desired;
        this.pipelines = pipelines;
        this.images = images;
        this.events = events;
    }

    @Override
    public void deliver(Bundle bundle, byte[] payload) {
        try {
            switch (BundleKind.fromWire(bundle.kind()).orElse(null)) {
                case DESIRED -> desired.apply(DesiredChange.decode(payload));
                case EVENT -> {
                    EventCommand e = EventCommand.decode(payload);
                    int runs = pipelines.event(e.name()).size();
                    events.add("event/" + e.name(), "raised from ground: " + runs + " run(s) started");
                }
                case IMAGE_MANIFEST -> {
                    if (images.manifest(payload)) desired.retryPending();
                }
                case IMAGE_CHUNKS -> {
                    if (images.chunks(payload)) desired.retryPending();
                }
                case null, default -> events.add("bundle/" + bundle.id(), "kind " + bundle.kind() + " is not one a node takes; ignored");
            }
        } catch (MessageException e) {
            events.add("bundle/" + bundle.id(), "refused: " + e.getMessage());
        }
    }
}
