package io.orchide.node.link;

import io.orchide.model.message.MessageException;

/**
 * Where image bundles go on the node: manifests and packs of chunks into the content-addressed store. Each call
 * returns true when it completed (assembled and verified) at least one image, so waiting changes are retried.
 */
interface ImageIntake extends LocalImages {
    boolean manifest(byte[] payload) throws MessageException;

    boolean chunks(byte[] payload) throws MessageException;
}
