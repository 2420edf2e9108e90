package io.orchide.node.storage;

import io.orchide.model.message.TenantQuota;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.tenant.QuotaExceededException;
import io.orchide.node.tenant.QuotaSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Each tenant's use of the node's disk against its on-board storage quota: the files of its pipeline runs (every
 * directory named after a run, {@code <pipeline>-<id>}, under {@code roots}: workspaces with the steps' outputs, step
 * directories, products waiting for the downlink), counted by the tenant of the run's pipeline; a file with another
 * link (a dataset's file staged into a run) is not counted. Measured by the storage keeper with the node's disk.
 *
 * <p>A tenant found over its quota first has the files of its own finished runs reclaimed ({@code reclaim}, oldest
 * first; its products stay); while it is still over, its new runs wait ({@link #check}) and a change says so once
 * (and once more when it is back within its quota).
 */
public final class TenantStorage {
    /** Deletes up to about {@code bytes} of the files of {@code tenant}'s finished runs; returns what it freed. */
    @FunctionalInterface
    public interface Reclaim extends BiFunction<String, Long, Long> {
    }

    private final List<Path> roots;
    private final Function<String, Optional<String>> tenantOfRun;
    private final QuotaSource quotas;
    private final Reclaim reclaim;
    private volatile Map<String, Long> used = Map.of();
    private final Map<String, Boolean> over = new HashMap<>();

    public TenantStorage(List<Path> roots, Function<String, Optional<String>> tenantOfRun, QuotaSource quotas,
                         Reclaim reclaim) {
        this.roots = List.copyOf(roots);
        this.tenantOfRun = tenantOfRun;
        this.quotas = quotas;
        this.reclaim = reclaim;
    }

    /** The bytes of {@code tenant}'s runs as last measured. */
    public long used(String tenant) {
        return used.getOrDefault(tenant, 0L);
    }

    /** Every tenant's bytes as last measured, by name. */
    public Map<String, Long> all() {
        return new TreeMap<>(used);
    }

    /**
     * Refuses {@code what} of {@code tenant} while the tenant's files as last measured reach its storage quota (a run
     * writes files before anyone knows how many: one byte more is over).
     */
    public void check(String what, String tenant) throws QuotaExceededException {
        Optional<TenantQuota> q = quotas.of(tenant);
        if (q.isEmpty() || q.get().storageBytes() == null) return;
        long quota = q.get().storageBytes(), use = used(tenant);
        if (use >= quota) throw new QuotaExceededException(what, tenant, "storage", quota, use, 1);
    }

    /**
     * Measures every tenant's files, reclaims the finished runs' files of those over their quota, and returns the
     * changes to report: a tenant that went over its quota, or back within it.
     */
    synchronized List<String> measure() throws IOException {
        Map<String, Long> m = sizes();
        for (var e : Map.copyOf(m).entrySet()) {
            Long quota = quotas.of(e.getKey()).map(TenantQuota::storageBytes).orElse(null);
            if (quota != null && e.getValue() >= quota) {
                long freed = reclaim.apply(e.getKey(), e.getValue() - quota + 1);
                if (freed > 0) m = sizes();
            }
        }
        used = Map.copyOf(m);
        List<String> changes = new java.util.ArrayList<>();
        for (String tenant : new java.util.TreeSet<>(union(m.keySet(), over.keySet()))) {
            Long quota = quotas.of(tenant).map(TenantQuota::storageBytes).orElse(null);
            long use = m.getOrDefault(tenant, 0L);
            boolean isOver = quota != null && use >= quota;
            if (isOver == over.getOrDefault(tenant, false)) continue;
            over.put(tenant, isOver);
            String amount = QuotaExceededException.amount("storage", use) + " of "
                    + (quota == null ? "no limit" : QuotaExceededException.amount("storage", quota));
            changes.add(isOver ? "tenant " + tenant + " is over its on-board storage quota (" + amount
                    + " used after its finished runs' files were reclaimed): its new runs wait"
                    : "tenant " + tenant + " is within its on-board storage quota again (" + amount + " used)");
        }
        return changes;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /**
     * Every tenant's bytes: each file once, however many of its run directories link it (an output placed in the
     * outbox as a link), and not at all when it has links outside them (a dataset's file staged into a workspace).
     */
    private Map<String, Long> sizes() throws IOException {
        record Seen(long size, int links, int[] here) {
        }
        Map<String, Map<Object, Seen>> files = new HashMap<>();
        Map<String, Optional<String>> tenants = new HashMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            List<Path> runs;
            try (Stream<Path> s = Files.list(root)) {
                runs = s.filter(p -> PipelineRun.idOf(p.getFileName().toString()) > 0).toList();
            }
            for (Path run : runs) {
                Optional<String> tenant = tenants.computeIfAbsent(run.getFileName().toString(), tenantOfRun);
                if (tenant.isEmpty()) continue;
                Map<Object, Seen> mine = files.computeIfAbsent(tenant.get(), t -> new HashMap<>());
                Files.walkFileTree(run, new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                        if (!a.isRegularFile()) return java.nio.file.FileVisitResult.CONTINUE;
                        Object key = a.fileKey() == null ? file : a.fileKey();
                        mine.computeIfAbsent(key, k -> new Seen(a.size(), links(file), new int[1])).here()[0]++;
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                        return java.nio.file.FileVisitResult.CONTINUE; // removed while walking: not ours to count
                    }
                });
            }
        }
        Map<String, Long> m = new HashMap<>();
        files.forEach((tenant, seen) -> m.put(tenant, seen.values().stream()
                .filter(f -> f.here()[0] >= f.links()).mapToLong(Seen::size).sum()));
        return m;
    }

    private static int links(Path file) {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }
}
