package io.orchide.web.telemetry;

/** The metric types of the Prometheus text format that Orchide uses. */
public enum MetricType {
    COUNTER("counter"), GAUGE("gauge"), HISTOGRAM("histogram");

    private final String wire;

    MetricType(String wire) { this.wire = wire; }

    /** As the {@code # TYPE} line writes it. */
    public String wire() { return wire; }
}
