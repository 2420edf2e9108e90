package io.orchide.model.message;

import java.util.OptionalLong;

/**
 * How bundle ids are made. An id derived from what the bundle carries makes a send repeated after a crash queue nothing
 * new (the link keeps one bundle per id): a desired change by its object and generation, an image's manifest by its
 * digest, a pack of chunks by digest and index, a product by the node's id for it. Ids are dotted; satellite and node
 * names are DNS labels and so hold no dot.
 */
public final class BundleIds {
    private BundleIds() {
    }

    /** A change to {@code kind}/{@code name} at {@code generation} for {@code satellite}. */
    public static String desired(String satellite, String kind, String name, int generation) {
        return "desired." + satellite + "." + kind + "." + name + "." + generation;
    }

    /** The {@code version}-th quota of {@code tenant} for {@code satellite}. */
    public static String quota(String satellite, String tenant, int version) {
        return "quota." + satellite + "." + tenant + "." + version;
    }

    /** A trust document ({@code type} root or delegation, of {@code subject}) at {@code version}, for {@code satellite}. */
    public static String trust(String satellite, String type, String subject, long version) {
        return "trust." + satellite + "." + type + "." + subject + "." + version;
    }

    /** The {@code seq}-th event ground raised for {@code satellite}. */
    public static String event(String satellite, long seq) {
        return "event." + satellite + "." + seq;
    }

    /** The dataset operation {@code id} ground asked of {@code satellite}. */
    public static String datasetCommand(String satellite, long id) {
        return "dataset-op." + satellite + "." + id;
    }

    /** Node {@code node}'s answer to dataset operation {@code id} of {@code satellite}. */
    public static String datasetResult(String satellite, String node, long id) {
        return "dataset-result." + satellite + "." + node + "." + id;
    }

    /** The file node {@code node} sends down for dataset operation {@code id} of {@code satellite}. */
    public static String datasetFile(String satellite, String node, long id) {
        return "dataset-file." + satellite + "." + node + "." + id;
    }

    /** The manifest of the image whose SHA-256 is {@code hex}, for {@code satellite}. */
    public static String imageManifest(String satellite, String hex) {
        return "image." + satellite + "." + hex;
    }

    /** The {@code index}-th pack of chunks of the image {@code hex} planned for {@code satellite}. */
    public static String imageChunks(String satellite, String hex, int index) {
        return "chunks." + satellite + "." + hex + "." + index;
    }

    /** The product {@code productId} of node {@code node} on {@code satellite}. */
    public static String product(String satellite, String node, long productId) {
        return productPrefix(satellite, node) + productId;
    }

    /** The node's id of the product a bundle of {@link #product} carries; empty for any other id. */
    public static OptionalLong productOf(String satellite, String node, String bundleId) {
        String prefix = productPrefix(satellite, node);
        if (bundleId == null || !bundleId.startsWith(prefix)) return OptionalLong.empty();
        String rest = bundleId.substring(prefix.length());
        if (rest.isEmpty() || rest.length() > 18 || !rest.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(rest));
    }

    private static String productPrefix(String satellite, String node) {
        return "product." + satellite + "." + node + ".";
    }
}
