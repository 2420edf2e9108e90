package io.orchide.node.link;

import io.orchide.image.ImageException;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.MessageException;
import io.orchide.node.image.ContentImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Image bundles into the node's content-addressed store; a refused payload becomes a {@link MessageException}. */
final class StoredImages implements ImageIntake {
    private final ContentImages images;

    StoredImages(ContentImages images) {
        this.images = images;
    }

    @Override
    public boolean has(String contentRef) {
        return images.has(contentRef);
    }

    @Override
    public boolean manifest(byte[] payload) throws MessageException {
        try {
            return images.manifest(payload);
        } catch (ManifestException e) {
            throw new MessageException(BundleKind.IMAGE_MANIFEST.wire(), e.errors());
        } catch (ImageException e) {
            throw refused(BundleKind.IMAGE_MANIFEST.wire(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the disk, not the payload: offered again later
        }
    }

    @Override
    public boolean chunks(byte[] payload) throws MessageException {
        try {
            return images.chunks(payload);
        } catch (ImageException e) {
            throw refused(BundleKind.IMAGE_CHUNKS.wire(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageException refused(String kind, ImageException e) {
        return new MessageException(kind, List.of(new FieldError(e.path(), e.value(), e.getMessage())));
    }
}
