package io.orchide.bench;

import io.orchide.node.storage.StorageBudget;
import io.orchide.node.storage.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the agent's storage check costs with a {@code --storage-limit}: the time of one {@link Volume#measure} (a
 * walk of the data directory) on trees of 1,000, 10,000 and 50,000 files in 100 directories, warm, against
 * {@code du -s --apparent-size} on the same tree in the same run (median of 11 each). The agent measures once a minute
 * of its clock; without a limit it asks the filesystem and walks nothing.
 */
public final class StorageScan {
    private static final int RUNS = 11;

    private StorageScan() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("files    Volume.measure (ms)   du -s --apparent-size (ms)   used bytes (Volume / du)");
        for (int n : new int[]{1_000, 10_000, 50_000}) {
            Path dir = Files.createTempDirectory("orchide-storage-bench-");
            try {
                for (int i = 0; i < n; i++) {
                    Path d = Files.createDirectories(dir.resolve("d" + (i % 100)));
                    Files.write(d.resolve("f" + i), new byte[i % 4096]);
                }
                Volume v = new Volume(dir, StorageBudget.of(1L << 40, 0));
                long used = v.measure().usedBytes();
                double[] ours = new double[RUNS];
                double[] du = new double[RUNS];
                long duBytes = 0;
                for (int r = 0; r < RUNS; r++) {
                    long t = System.nanoTime();
                    v.measure();
                    ours[r] = (System.nanoTime() - t) / 1e6;
                    t = System.nanoTime();
                    Process p = new ProcessBuilder("du", "-s", "-B1", "--apparent-size", dir.toString()).start();
                    String out = new String(p.getInputStream().readAllBytes()).trim();
                    p.waitFor();
                    du[r] = (System.nanoTime() - t) / 1e6;
                    duBytes = Long.parseLong(out.split("\\s+")[0]);
                }
                System.out.printf("%6d    %18.2f   %26.2f   %d / %d%n", n, median(ours), median(du), used, duBytes);
            } finally {
                deleteTree(dir);
            }
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
