package io.orchide.ground.desired;

/**
 * An apply of {@code kind} {@code name} for {@code tenant} on a satellite where that name is another tenant's (Apps
 * and Pipelines share one namespace per satellite, and a name keeps its tenant after a delete, so that nothing the
 * old object left behind, runs or products, passes to the new one). Nothing was changed.
 */
public final class NameTaken extends RuntimeException {
    private final String kind;
    private final String name;
    private final String tenant;

    public NameTaken(String kind, String name, String tenant) {
        super(kind + " " + name + " belongs to another tenant than " + tenant);
        this.kind = kind;
        this.name = name;
        this.tenant = tenant;
    }

    public String kind() { return kind; }

    public String name() { return name; }

    public String tenant() { return tenant; }
}
