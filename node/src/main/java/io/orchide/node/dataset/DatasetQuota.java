package io.orchide.node.dataset;

import io.orchide.model.DatasetSpec;

/** The quota decision, a pure function of the quota, the use and the request. */
public final class DatasetQuota {
    private DatasetQuota() {
    }

    /**
     * Refuses a write of {@code newFiles} more files and {@code newBytes} more bytes into {@code dataset} when either
     * would end over {@code quota}. Bytes are checked first: a user over both is told of the one that usually binds.
     *
     * @throws QuotaExceededException naming the quota, the use and the request
     */
    public static void check(String dataset, DatasetSpec.Quota quota, DatasetUse use, int newFiles, long newBytes)
            throws QuotaExceededException {
        if (quota.bytes() != null && newBytes > 0 && use.bytes() + newBytes > quota.bytes()) {
            throw new QuotaExceededException(dataset, "bytes", quota.bytes(), use.bytes(), newBytes);
        }
        if (quota.files() != null && newFiles > 0 && use.files() + newFiles > quota.files()) {
            throw new QuotaExceededException(dataset, "files", quota.files(), use.files(), newFiles);
        }
    }
}
