package io.orchide.node.link;

/** Whether the node's content-addressed store holds (whole and verified) the image a {@code sha256:} reference names. */
@FunctionalInterface
public interface LocalImages {
    boolean has(String contentRef);
}
