package io.orchide.node.dataset;

import java.io.IOException;

/**
 * A write refused because it would take a dataset over its quota of {@code what} ({@code bytes} or {@code files}):
 * the quota, the use before the write and what the write asked for. Nothing was written.
 */
public final class QuotaExceededException extends IOException {
    /** The API code of this refusal. */
    public static final String CODE = "quota_exceeded";

    private final String dataset;
    private final String what;
    private final long quota;
    private final long use;
    private final long request;

    public QuotaExceededException(String dataset, String what, long quota, long use, long request) {
        super("dataset " + dataset + " would go over its quota of " + what + ": quota " + quota + ", use " + use
                + ", request " + request);
        this.dataset = dataset;
        this.what = what;
        this.quota = quota;
        this.use = use;
        this.request = request;
    }

    public String dataset() { return dataset; }

    /** {@code bytes} or {@code files}. */
    public String what() { return what; }

    public long quota() { return quota; }

    public long use() { return use; }

    public long request() { return request; }
}
