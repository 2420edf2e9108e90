package io.orchide.node.tenant;

import io.orchide.model.message.TenantQuota;

import java.util.Optional;

/** Where admission finds a tenant's on-board quota; empty: the tenant has none (no limit). */
@FunctionalInterface
public interface QuotaSource {
    QuotaSource NONE = tenant -> Optional.empty();

    Optional<TenantQuota> of(String tenant);
}
