package io.orchide.node.link;

import io.orchide.link.LinkEndpoint;
import io.orchide.link.Outgoing;
import io.orchide.model.message.BundleKind;

/**
 * What the node sends ground from inside a delivery (a dataset operation's result, a whole log), through the link
 * once it is open. The link stores each bundle before the delivery that caused it returns, so an answer is sent
 * once the command was taken, also across a restart.
 */
final class ToGround {
    private volatile LinkEndpoint link;

    void open(LinkEndpoint link) {
        this.link = link;
    }

    /** Sends a payload the link streams (a file), under {@code id}: sent again, the same id queues nothing new. */
    void send(String id, BundleKind kind, io.orchide.link.PayloadSource payload) {
        LinkEndpoint l = link;
        if (l == null) throw new IllegalStateException("the link to ground is not open yet: " + kind.wire() + " not sent");
        l.send(id, "ground", kind.wire(), kind.priority(), kind.lifetime(), payload);
    }

    void send(BundleKind kind, byte[] payload) {
        LinkEndpoint l = link;
        if (l == null) throw new IllegalStateException("the link to ground is not open yet: " + kind.wire() + " not sent");
        l.send(new Outgoing("ground", kind.wire(), kind.priority(), kind.lifetime(), payload));
    }
}
