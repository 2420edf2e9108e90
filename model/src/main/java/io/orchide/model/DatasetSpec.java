package io.orchide.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Dataset} declares: its {@code quota} (null fields: no limit), its {@code retention} (null fields: kept
 * until deleted) and its {@code access}.
 */
public record DatasetSpec(Quota quota, Retention retention, Access access) {
    public DatasetSpec {
        quota = quota == null ? Quota.NONE : quota;
        retention = retention == null ? Retention.NONE : retention;
        access = access == null ? Access.OWNER : access;
    }

    /** At most {@code bytes} bytes and {@code files} files; null: no limit on that. */
    public record Quota(Long bytes, Integer files) {
        public static final Quota NONE = new Quota(null, null);

        public boolean limited() {
            return bytes != null || files != null;
        }
    }

    /** Files older than {@code maxAge} go, and all but the newest {@code keepLast}; null: no such rule. */
    public record Retention(Duration maxAge, Integer keepLast) {
        public static final Retention NONE = new Retention(null, null);

        public boolean any() {
            return maxAge != null || keepLast != null;
        }
    }

    /**
     * Who may read and who may write. A null list means the dataset's own tenant (all its apps and pipelines); a
     * given list is the whole of who may, the dataset's own tenant included only when it names it.
     */
    public record Access(Principals read, Principals write) {
        public static final Access OWNER = new Access(null, null);
    }

    /** Whole tenants, pipelines by name, apps by name. */
    public record Principals(List<String> tenants, List<String> pipelines, List<String> apps) {
        public static final String PIPELINE = "pipeline";
        public static final String APP = "app";

        public Principals {
            tenants = List.copyOf(Objects.requireNonNullElse(tenants, List.of()));
            pipelines = List.copyOf(Objects.requireNonNullElse(pipelines, List.of()));
            apps = List.copyOf(Objects.requireNonNullElse(apps, List.of()));
        }

        /** Whether the {@code kind} ({@link #PIPELINE} or {@link #APP}) {@code name} of {@code tenant} is listed. */
        public boolean includes(String tenant, String kind, String name) {
            if (tenants.contains(tenant)) return true;
            return switch (kind) {
                case PIPELINE -> pipelines.contains(name);
                case APP -> apps.contains(name);
                default -> false;
            };
        }
    }
}
