package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of live progress: per satellite whether a station is in view, its runs by state and its link traffic
 * (bundles ground sent up and took down, and the bytes on the radio), then the products ground holds and the bytes
 * they saved against sending the raw scenes.
 */
final class StatusLine {
    private StatusLine() {
    }

    /** {@code watch}: null, or what it last saw of ground's replicas (then each satellite says which one it is on). */
    static String of(Instant now, List<SatelliteRig> rigs, GroundRig ground, GroundWatch watch) {
        StringBuilder b = new StringBuilder("[").append(TimeText.at(now)).append("] ");
        long scenes = 0;
        Map<String, long[]> bundles = ground.bundles();
        for (SatelliteRig r : rigs) {
            b.append(r.name()).append(": ");
            if (!r.up()) b.append("POWER OFF");
            else if (!r.serving()) b.append("booting");
            else if (r.inOutage()) b.append("link down");
            else b.append(r.station() == null ? "no contact" : "in view of " + r.station().name());
            if (watch != null && watch.serving(r.name()) > 0) b.append(" via replica ").append(watch.serving(r.name()));
            String storage = r.storageLevel();
            if (!storage.equals("ok")) b.append(", storage ").append(storage);
            List<CapturedScene> captured = r.scenes();
            b.append(", ").append(captured.size()).append(" scenes, runs ").append(runs(r.runs()));
            var link = r.link();
            long[] n = bundles.getOrDefault(r.name(), new long[2]);
            b.append(", bundles up ").append(n[0]).append(" (").append(TimeText.bytes(link.bytesUp())).append(") down ")
                    .append(n[1]).append(" (").append(TimeText.bytes(link.bytesDown())).append(')');
            b.append(" | ");
            scenes += captured.stream().mapToLong(CapturedScene::bytes).sum();
        }
        b.append("ground: ");
        if (watch != null) {
            for (GroundReplica g : ground.replicas()) b.append("replica ").append(g.index()).append(' ').append(g.readiness()).append(", ");
        }
        var answered = ground.answeredProducts();
        if (answered.isEmpty()) return b.append("no replica answers").toString();
        List<JsonNode> products = answered.get();
        long bytes = products.stream().mapToLong(p -> p.path("size").asLong()).sum();
        b.append(products.size()).append(" products, ").append(TimeText.bytes(bytes));
        if (scenes > 0) {
            b.append(" for ").append(TimeText.bytes(scenes)).append(" of scenes (")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", 100.0 * (scenes - bytes) / scenes))
                    .append(" % saved so far)");
        }
        return b.toString();
    }

    /** "3 done, 1 running, 2 queued" from a node's run list. */
    static String runs(List<JsonNode> runs) {
        Map<String, Integer> by = new TreeMap<>();
        for (JsonNode r : runs) {
            String st = r.path("state").asText();
            String key = switch (st) {
                case "succeeded" -> "done";
                case "queued", "running", "failed" -> st;
                default -> "ended " + st;
            };
            by.merge(key, 1, Integer::sum);
        }
        if (by.isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        for (String k : List.of("done", "running", "queued", "failed")) {
            Integer n = by.remove(k);
            if (n != null) b.append(b.isEmpty() ? "" : " ").append(n).append(' ').append(k);
        }
        by.forEach((k, n) -> b.append(b.isEmpty() ? "" : " ").append(n).append(' ').append(k));
        return b.toString();
    }
}
