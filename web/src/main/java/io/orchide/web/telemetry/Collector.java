package io.orchide.web.telemetry;

import java.util.List;

/**
 * Something that produces metric families when scraped: a {@link Counter} or {@link Histogram} kept up to date by
 * the code that counts, or a function that reads the current state (workloads by state, storage used) at scrape
 * time. Called on the scraping request's thread; it must not block for long.
 */
@FunctionalInterface
public interface Collector {
    List<MetricFamily> collect();
}
