package io.orchide.ground.auth;

import io.orchide.model.tenant.Quota;
import java.time.Instant;

/** An organisation that owns apps, pipelines, images and products, with its declared quota. */
public record Tenant(String name, Quota quota, Instant created) {
}
