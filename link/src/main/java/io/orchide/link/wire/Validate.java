package io.orchide.link.wire;

import io.orchide.link.Bundle;
import io.orchide.link.LinkException;

import java.util.regex.Pattern;

/** The rules for everything that crosses the link; each failure names the field and the value. */
public final class Validate {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final Pattern KIND = Pattern.compile("[a-z0-9.-]{1,64}");
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    public static final Pattern CHECKSUM = Pattern.compile("sha256:[0-9a-f]{64}");

    private Validate() {
    }

    public static String name(String field, String v) {
        if (v == null || !NAME.matcher(v).matches()) throw new LinkException(field, abbrev(v), "is not a name [A-Za-z0-9._-]{1,64}");
        return v;
    }

    public static String kind(String v) {
        if (v == null || !KIND.matcher(v).matches()) throw new LinkException("kind", abbrev(v), "is not a kind [a-z0-9.-]{1,64}");
        return v;
    }

    public static String id(String field, String v) {
        if (v == null || !ID.matcher(v).matches()) throw new LinkException(field, abbrev(v), "is not a bundle id [A-Za-z0-9._:-]{1,128}");
        return v;
    }

    public static int priority(int p) {
        if (p < 0 || p > 100) throw new LinkException("priority", p, "is outside 0..100");
        return p;
    }

    public static void bundle(Bundle b, long maxBundleBytes) {
        id("id", b.id());
        name("source", b.source());
        name("destination", b.destination());
        kind(b.kind());
        priority(b.priority());
        if (b.created() == null) throw new LinkException("created", null, "is missing");
        if (b.lifetime() == null || b.lifetime().isNegative() || b.lifetime().isZero())
            throw new LinkException("lifetime", b.lifetime(), "must be positive");
        if (b.size() < 0 || b.size() > maxBundleBytes)
            throw new LinkException("size", b.size(), "is outside 0.." + maxBundleBytes);
        if (b.checksum() == null || !CHECKSUM.matcher(b.checksum()).matches())
            throw new LinkException("checksum", abbrev(b.checksum()), "is not sha256:<64 hex>");
    }

    static String abbrev(String v) {
        return v == null || v.length() <= 80 ? v : v.substring(0, 80) + "...";
    }
}
