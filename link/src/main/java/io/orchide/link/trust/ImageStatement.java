package io.orchide.link.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tenant's signed word that the image {@code digest} is theirs, pushed as {@code name}: the tenant is inside what is
 * signed, so a valid image of another tenant does not pass for this tenant's under any name.
 */
public record ImageStatement(String tenant, String name, String digest) {
    public static final String TYPE = "image";

    public SignedDocument unsigned() {
        return SignedDocument.of(TYPE, CanonicalJson.object().put("tenant", tenant).put("name", name).put("digest", digest));
    }

    public static ImageStatement read(SignedDocument d) throws TrustException {
        String what = "image signature";
        if (!TYPE.equals(d.type())) throw new TrustException(what, "is a document of type '" + d.type() + "', not " + TYPE);
        return new ImageStatement(KeySet.text(d.signed(), "tenant", what), KeySet.text(d.signed(), "name", what),
                KeySet.text(d.signed(), "digest", what));
    }
}
