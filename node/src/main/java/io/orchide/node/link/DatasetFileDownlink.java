package io.orchide.node.link;

import io.orchide.link.PayloadSource;
import io.orchide.model.message.BundleIds;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetFile;
import io.orchide.node.dataset.DatasetCommands;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file too large for its get's answer, sent down as a {@code dataset-file} bundle streamed from the file:
 * the link stores it before this returns and carries it in pieces, a cut contact resuming where it stopped. The id is
 * derived from the operation, so a get answered again queues nothing new.
 */
final class DatasetFileDownlink implements DatasetCommands.Downlink {
    private final String satellite;
    private final String node;
    private final ToGround toGround;
    private final long maxBytes;

    DatasetFileDownlink(String satellite, String node, ToGround toGround, long maxBytes) {
        this.satellite = satellite;
        this.node = node;
        this.toGround = toGround;
        this.maxBytes = maxBytes;
    }

    @Override
    public void send(DatasetCommand c, Path file, long bytes) throws IOException {
        byte[] head = DatasetFile.encodeHeader(new DatasetFile.Header(c.id(), node, c.dataset(), c.file(), bytes,
                ProductFile.sha256(file)));
        toGround.send(BundleIds.datasetFile(satellite, node, c.id()), BundleKind.DATASET_FILE,
                PayloadSource.of(head, file));
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }
}
