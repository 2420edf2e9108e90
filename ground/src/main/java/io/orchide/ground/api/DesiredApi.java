package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.desired.ApplyOutcome;
import io.orchide.ground.desired.DesiredObject;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.desired.NameTaken;
import io.orchide.ground.quota.QuotaExceeded;
import io.orchide.ground.quota.QuotaRequest;
import io.orchide.ground.quota.Quotas;
import io.orchide.ground.auth.Role;
import io.orchide.model.App;
import io.orchide.model.DeviceGrant;
import io.orchide.model.FieldError;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.Metadata;
import io.orchide.model.Model;
import io.orchide.model.Names;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.model.message.DesiredChange;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.orchide.ground.api.GroundApi.invalid;
import static io.orchide.ground.api.GroundApi.jsonOr;
import static io.orchide.ground.api.GroundApi.putInstant;
import static io.orchide.ground.api.GroundApi.sat;

/**
 * A satellite's desired state: {@code POST .../apply} (Apps, Pipelines, Datasets and Secrets, each checked against
 * the caller's tenant; DeviceGrants and Models, given only by fleet-wide roles), {@code GET .../desired},
 * {@code DELETE .../apps/{name}}, {@code .../pipelines/{name}}, {@code .../datasets/{name}}, {@code .../secrets/{name}},
 * {@code .../devicegrants/{name}} and {@code .../models/{name}}, and
 * {@code POST .../events} (a named event for the satellite's onEvent triggers).
 */
final class DesiredApi {
    private final DesiredState desired;
    private final ImageApi images;
    private final Access access;
    private final Quotas quotas;
    private final java.util.function.Function<String, ObjectNode> delivery;

    /** With {@code delivery} telling, for a satellite, when what is queued for it will be delivered. */
    DesiredApi(DesiredState desired, ImageApi images, Access access, Quotas quotas,
               java.util.function.Function<String, ObjectNode> delivery) {
        this.delivery = delivery;
        this.desired = desired;
        this.images = images;
        this.access = access;
        this.quotas = quotas;
    }

    void register(ApiServer s, String satellitePath, String seg) {
        s.route("POST", satellitePath + "/apply", (ex, m) -> apply(ex, sat(m.group(1))))
                .route("GET", satellitePath + "/desired", (ex, m) -> desired(ex, sat(m.group(1))))
                .route("DELETE", satellitePath + "/apps/" + seg, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.APP, m.group(2)))
                .route("DELETE", satellitePath + "/pipelines/" + seg, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.PIPELINE, m.group(2)))
                .route("DELETE", satellitePath + "/datasets/" + seg, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.DATASET, m.group(2)))
                .route("DELETE", satellitePath + "/secrets/" + seg, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.SECRET, m.group(2)))
                .route("DELETE", satellitePath + "/devicegrants/" + seg, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.DEVICE_GRANT, m.group(2)))
                .route("DELETE", satellitePath + "/models/" + seg, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.MODEL, m.group(2)))
                .route("POST", satellitePath + "/events", (ex, m) -> postEvent(ex, sat(m.group(1))));
    }

    private void apply(HttpExchange ex, String sat) throws IOException {
        String text = Exchange.body(ex);
        if (text.isBlank()) {
            throw invalid("body", null, "must hold one or more App, Pipeline, Dataset, Secret, DeviceGrant or Model manifests (YAML or JSON)");
        }
        List<Manifest> docs;
        try {
            docs = Manifests.parseAll(text, null);
        } catch (ManifestException e) {
            List<FieldError> errs = e.errors();
            throw new ApiException(400, "invalid", "manifest rejected: " + errs.size() + " error(s); nothing applied", errs);
        }
        docs = authorise(ex, sat, docs);
        checkTenants(docs);
        List<ApplyOutcome> outcomes;
        try {
            List<ImageApi.Named> named = images.named(ex, docs);
            precheck(sat, docs, images.uplinkCost(sat, named));
            // before the change: the satellite gets an App's image ahead of the App
            for (var sent : images.uplink(sat, named).entrySet()) {
                quotas.chargeUplink(sent.getKey(), sat, sent.getValue(), "images");
            }
            outcomes = desired.apply(sat, docs, quotas.admission());
        } catch (NameTaken e) {
            throw nameTaken(Access.caller(ex), sat, e.kind(), e.name(), e.tenant());
        } catch (QuotaExceeded e) {
            Manifest first = docs.stream().filter(m -> m.metadata().tenant().equals(e.tenant())).findFirst().orElse(docs.getFirst());
            throw QuotaRefusal.of(ex, access, e, Verb.CREATE, resource(first.kind()), first.name());
        } catch (io.orchide.ground.secret.SecretSealer.NoNodeKey e) {
            throw new ApiException(409, "no_node_key", e.getMessage(),
                    List.of(new FieldError("metadata.name", e.name(), "no node key of " + sat + " to seal it to")));
        }
        if (outcomes.isEmpty()) throw invalid("body", null, "holds no manifest");
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        ArrayNode a = o.putArray("items");
        boolean created = false;
        for (ApplyOutcome r : outcomes) {
            a.add(outcomeView(r));
            created |= r.result().equals(ApplyOutcome.CREATED);
        }
        o.set("delivery", delivery.apply(sat));
        Exchange.send(ex, created ? 201 : 200, o);
    }

    /**
     * Refuses an apply over a quota of one of its tenants before anything is sent (its images above all): the Apps
     * and Pipelines it would create on {@code sat}, the bytes of its images ({@code imageBytes}, by tenant) and of its
     * bundles. Only a first look: the apply's own transaction checks again and decides ({@link Quotas#admission}).
     */
    private void precheck(String sat, List<Manifest> docs, Map<String, Long> imageBytes) {
        Map<String, QuotaRequest> byTenant = new java.util.TreeMap<>();
        Map<String, Boolean> limited = new HashMap<>();
        for (Manifest m : docs) {
            if (m instanceof DeviceGrant) continue; // an operator's act, not charged to the tenant it names
            String tenant = m.metadata().tenant();
            if (!limited.computeIfAbsent(tenant, quotas::limited)) continue;
            if (m instanceof Model) {
                // the allowance is the operator's act; the model's file is the tenant's, charged as an App's image is
                byTenant.merge(tenant, new QuotaRequest(0, 0, 0, false), QuotaRequest::plus);
                continue;
            }
            String json = Manifests.toJson(m);
            String current = quotas.manifest(sat, m.kind(), m.name());
            boolean created = current == null;
            boolean changed = !json.equals(current);
            byTenant.merge(tenant, new QuotaRequest(created && m instanceof App ? 1 : 0, created && m instanceof Pipeline ? 1 : 0,
                    changed ? json.length() : 0, changed), QuotaRequest::plus);
        }
        for (var e : byTenant.entrySet()) {
            long images = imageBytes.getOrDefault(e.getKey(), 0L);
            quotas.precheck(e.getKey(), e.getValue().plus(new QuotaRequest(0, 0, images, images > 0)));
        }
    }

    /**
     * The documents with the caller's tenant where they name none (or {@code default}, which is what none reads as)
     * and the caller is bound to one tenant, each checked: the caller may create it in its tenant, its name is not
     * another tenant's on this satellite, and a pipeline's steps name none of another tenant's Apps.
     */
    private List<Manifest> authorise(HttpExchange ex, String sat, List<Manifest> docs) {
        Caller c = Access.caller(ex);
        String only = c.onlyTenant();
        Owners owners = Owners.of(desired, sat);
        List<Manifest> out = new java.util.ArrayList<>();
        Map<String, String> batchApps = new HashMap<>();
        Map<String, io.orchide.model.Dataset> batchDatasets = new HashMap<>();
        Map<String, io.orchide.model.Secret> batchSecrets = new HashMap<>();
        for (Manifest m : docs) {
            if (only != null && m.metadata().tenant().equals(Metadata.DEFAULT_TENANT) && !only.equals(Metadata.DEFAULT_TENANT)) {
                m = withTenant(m, only);
            }
            out.add(m);
            if (m instanceof App) batchApps.put(m.name(), m.metadata().tenant());
            if (m instanceof io.orchide.model.Dataset d) batchDatasets.put(d.name(), d);
            if (m instanceof io.orchide.model.Secret s) {
                if (s.isSealed()) throw invalid("sealed", s.name(), "is written by ground; apply a Secret with data");
                batchSecrets.put(s.name(), s);
            }
        }
        for (Manifest m : out) {
            String tenant = m.metadata().tenant();
            if (m instanceof DeviceGrant || m instanceof Model) requireFleetRole(ex, c, Verb.CREATE, m.kind(), tenant, m.name());
            else access.require(ex, Verb.CREATE, resource(m.kind()), tenant, m.name());
            String owner = owners.of(m.kind(), m.name());
            if (owner != null && !owner.equals(tenant)) throw nameTaken(c, sat, m.kind(), m.name(), tenant);
            SecretReferences.check(m, sat, name -> batchSecrets.containsKey(name) ? batchSecrets.get(name) : owners.secret(name));
            if (m instanceof Pipeline p) {
                List<Step> steps = p.spec().steps();
                for (int i = 0; i < steps.size(); i++) {
                    String app = steps.get(i).app();
                    if (app == null) continue;
                    String appOwner = batchApps.containsKey(app) ? batchApps.get(app) : owners.app(app);
                    if (appOwner != null && !appOwner.equals(tenant)) {
                        String f = "spec.steps[" + i + "].app";
                        throw new ApiException(403, "forbidden", "Pipeline " + p.name() + " of tenant " + tenant
                                + " may run only its own tenant's Apps", List.of(new FieldError(f, app,
                                "is not an App of tenant " + tenant + " on " + sat)));
                    }
                }
                checkDatasets(p, sat, owners, batchDatasets);
            }
        }
        return out;
    }

    /**
     * Refuses a pipeline whose {@code onData} trigger names a dataset declared on {@code sat} (in the desired state or
     * in the same apply) that it may not read, or whose step output names one it may not write; a dataset nobody
     * declared is the operator's, readable by all (a write into it is refused on board, when the step ends).
     */
    private static void checkDatasets(Pipeline p, String sat, Owners owners, Map<String, io.orchide.model.Dataset> batch) {
        String tenant = p.metadata().tenant();
        List<io.orchide.model.Trigger> triggers = p.spec().triggers();
        for (int i = 0; i < triggers.size(); i++) {
            if (!(triggers.get(i) instanceof io.orchide.model.Trigger.OnData d) || d.dataset() == null) continue;
            io.orchide.model.Dataset ds = batch.containsKey(d.dataset()) ? batch.get(d.dataset()) : owners.dataset(d.dataset());
            if (ds != null && !ds.readableBy(tenant, io.orchide.model.DatasetSpec.Principals.PIPELINE, p.name())) {
                throw new ApiException(403, "forbidden", "Pipeline " + p.name() + " of tenant " + tenant
                        + " names a dataset it may not read", List.of(new FieldError("spec.triggers[" + i
                        + "].onData.dataset", d.dataset(), "is not a dataset that pipeline " + p.name() + " of tenant "
                        + tenant + " may read on " + sat)));
            }
        }
        List<io.orchide.model.Step> steps = p.spec().steps();
        for (int i = 0; i < steps.size(); i++) {
            List<io.orchide.model.StepInput> inputs = steps.get(i).inputs();
            for (int j = 0; j < inputs.size(); j++) {
                io.orchide.model.DataRef from = inputs.get(j).from();
                if (from.source() != io.orchide.model.DataRef.Source.DATASET) continue;
                io.orchide.model.Dataset ds = batch.containsKey(from.dataset()) ? batch.get(from.dataset())
                        : owners.dataset(from.dataset());
                if (ds != null && !ds.readableBy(tenant, io.orchide.model.DatasetSpec.Principals.PIPELINE, p.name())) {
                    throw new ApiException(403, "forbidden", "Pipeline " + p.name() + " of tenant " + tenant
                            + " names a dataset it may not read", List.of(new FieldError("spec.steps[" + i
                            + "].inputs[" + j + "].from", from.toString(), "is not a dataset that pipeline " + p.name()
                            + " of tenant " + tenant + " may read on " + sat)));
                }
            }
            List<io.orchide.model.StepOutput> outputs = steps.get(i).outputs();
            for (int j = 0; j < outputs.size(); j++) {
                String name = outputs.get(j).dataset();
                if (name == null) continue;
                io.orchide.model.Dataset ds = batch.containsKey(name) ? batch.get(name) : owners.dataset(name);
                if (ds != null && !ds.writableBy(tenant, io.orchide.model.DatasetSpec.Principals.PIPELINE, p.name())) {
                    throw new ApiException(403, "forbidden", "Pipeline " + p.name() + " of tenant " + tenant
                            + " names a dataset it may not write", List.of(new FieldError("spec.steps[" + i
                            + "].outputs[" + j + "].dataset", name, "is not a dataset that pipeline " + p.name()
                            + " of tenant " + tenant + " may write on " + sat)));
                }
            }
        }
    }

    /**
     * Refuses with 403 unless the caller may {@code verb} the device grants or models ({@code kind}) of
     * {@code tenant}; the refusal names the roles that may, since a tenant's own roles never do (a grant, or a model
     * allowed on the accelerators, is the operator's decision).
     */
    private void requireFleetRole(HttpExchange ex, Caller c, Verb verb, String kind, String tenant, String name) {
        Resource res = resource(kind);
        boolean ok = c.allows(verb, res, tenant);
        access.decided(ex, c, verb, res, tenant, name, ok);
        if (ok) return;
        String roles = String.join(" or ", Role.allowing(verb, res).stream().map(Role::wire).toList());
        ApiException plain = Access.forbidden(c, verb, res, tenant);
        String what = res == Resource.MODELS ? "models are allowed on board by role " : "device grants are given by role ";
        throw new ApiException(403, "forbidden", plain.getMessage() + ": " + what + roles,
                List.of(new FieldError("kind", kind, "needs role " + roles + " (fleet-wide); "
                        + c.id() + " holds none that allows " + verb.wire() + " on " + res.wire())));
    }

    /**
     * Refuses (400, changing nothing) a DeviceGrant or Model naming a tenant ground does not know (in
     * {@code metadata.tenant}, or a Model's {@code spec.tenants}): it would give the device or the model to nobody,
     * and is most likely a typo.
     */
    private void checkTenants(List<Manifest> docs) {
        for (int i = 0; i < docs.size(); i++) {
            String prefix = docs.size() == 1 ? "" : "[" + i + "].";
            Manifest m = docs.get(i);
            if (m instanceof DeviceGrant g) {
                requireTenant(g, prefix + "metadata.tenant", g.metadata().tenant(), "a DeviceGrant names the tenant it gives the device to");
            } else if (m instanceof Model model) {
                requireTenant(model, prefix + "metadata.tenant", model.metadata().tenant(), "a Model belongs to the tenant that pushed its file");
                List<String> allowed = model.spec().tenants();
                for (int j = 0; j < allowed.size(); j++) {
                    requireTenant(model, prefix + "spec.tenants[" + j + "]", allowed.get(j), "a Model lists the tenants whose workloads may use it");
                }
            }
        }
    }

    private void requireTenant(Manifest m, String field, String tenant, String why) {
        if (quotas.quota(tenant) != null) return;
        throw new ApiException(400, "invalid", m.kind() + " " + m.name() + " names no tenant of ground; nothing applied",
                List.of(new FieldError(field, tenant, "is not a tenant of ground: " + why + " (orchide get tenants)")));
    }

    /** The resource a manifest of {@code kind} is, for the role table. */
    private static Resource resource(String kind) {
        return switch (kind) {
            case DesiredChange.APP -> Resource.APPS;
            case DesiredChange.DATASET -> Resource.DATASETS;
            case DesiredChange.SECRET -> Resource.SECRETS;
            case DesiredChange.DEVICE_GRANT -> Resource.DEVICEGRANTS;
            case DesiredChange.MODEL -> Resource.MODELS;
            default -> Resource.PIPELINES;
        };
    }

    private static Manifest withTenant(Manifest m, String tenant) {
        Metadata md = new Metadata(m.metadata().name(), tenant, m.metadata().labels());
        return switch (m) {
            case App a -> new App(md, a.spec());
            case Pipeline p -> new Pipeline(md, p.spec());
            case io.orchide.model.Dataset d -> new io.orchide.model.Dataset(md, d.spec());
            case io.orchide.model.Secret s -> new io.orchide.model.Secret(md, s.data(), s.sealed());
            case DeviceGrant g -> new DeviceGrant(md, g.spec());
            case io.orchide.model.Model mo -> new io.orchide.model.Model(md, mo.spec());
        };
    }

    /** The name is another tenant's: said without naming that tenant or anything else of its objects. */
    private static ApiException nameTaken(Caller c, String sat, String kind, String name, String tenant) {
        return new ApiException(403, "forbidden", kind + " name " + name + " on " + sat + " is not available to tenant "
                + tenant + " (names are shared by all tenants of a satellite); choose another name",
                List.of(new FieldError("metadata.name", name, "is not available to tenant " + tenant)));
    }

    private static ObjectNode outcomeView(ApplyOutcome r) {
        return Exchange.JSON.objectNode().put("kind", r.kind()).put("name", r.name()).put("result", r.result())
                .put("generation", r.generation()).put("bundle", r.bundleId());
    }

    private void delete(HttpExchange ex, String sat, String kind, String name) throws IOException {
        checkName(kind.toLowerCase(java.util.Locale.ROOT), name);
        Resource res = resource(kind);
        ApiException missing = new ApiException(404, "not_found", "no " + kind + " " + name + " in the desired state of " + sat,
                List.of(new FieldError("metadata.name", name, "no such " + kind)));
        String owner = Owners.of(desired, sat).of(kind, name);
        // another tenant's object is answered as a missing one: nobody learns what others run
        if (owner == null) throw missing;
        Caller caller = Access.caller(ex);
        if (!caller.allows(Verb.GET, res, owner)) {
            access.decided(ex, caller, Verb.DELETE, res, owner, name, false); // the audit log names what was tried
            throw missing;
        }
        if (res == Resource.DEVICEGRANTS || res == Resource.MODELS) requireFleetRole(ex, caller, Verb.DELETE, kind, owner, name);
        else access.require(ex, Verb.DELETE, res, owner, name);
        ApplyOutcome r = desired.delete(sat, kind, name).orElseThrow(() -> missing);
        Exchange.send(ex, 200, outcomeView(r).put("satellite", sat));
    }

    private void desired(HttpExchange ex, String sat) throws IOException {
        var q = Exchange.query(ex);
        boolean all = "true".equals(q.get("deleted"));
        Caller.Scope apps = access.listScope(ex, Resource.APPS);
        Caller.Scope pipelines = Access.caller(ex).scope(Verb.LIST, Resource.PIPELINES);
        Caller.Scope datasets = Access.caller(ex).scope(Verb.LIST, Resource.DATASETS);
        Caller.Scope secrets = Access.caller(ex).scope(Verb.LIST, Resource.SECRETS);
        Caller.Scope grants = Access.caller(ex).scope(Verb.LIST, Resource.DEVICEGRANTS);
        Caller.Scope models = Access.caller(ex).scope(Verb.LIST, Resource.MODELS);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (DesiredObject d : desired.list(sat, all)) {
            Caller.Scope scope = switch (d.kind()) {
                case DesiredChange.APP -> apps;
                case DesiredChange.DATASET -> datasets;
                case DesiredChange.SECRET -> secrets;
                case DesiredChange.DEVICE_GRANT -> grants;
                case DesiredChange.MODEL -> models;
                default -> pipelines;
            };
            if (!scope.includes(d.tenant())) continue;
            ObjectNode n = a.addObject();
            n.put("kind", d.kind()).put("name", d.name()).put("tenant", d.tenant()).put("generation", d.generation());
            if (d.deleted()) n.put("deleted", true);
            putInstant(n, "updated", d.updated());
            n.put("bundle", d.bundleId()).put("queued", d.queued());
            if (d.manifest() != null && d.kind().equals(DesiredChange.SECRET)) n.set("manifest", SecretReferences.view(d.manifest()));
            else if (d.manifest() != null) n.set("manifest", jsonOr(d.manifest()));
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void postEvent(HttpExchange ex, String sat) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode n = body.path("name");
        if (!n.isTextual() || Names.dnsLabelProblem(n.asText()) != null) {
            throw invalid("name", n.isMissingNode() ? null : n.toString(), "must be an event name (a DNS-1123 label)");
        }
        // an event reaches every onEvent trigger of the satellite: raising one is allowed in the caller's tenant
        JsonNode t = body.path("tenant");
        String tenant = t.isTextual() ? t.asText() : Access.caller(ex).onlyTenant();
        access.require(ex, Verb.CREATE, Resource.EVENTS, tenant, n.asText());
        String bundle = desired.event(sat, n.asText());
        Exchange.send(ex, 202, Exchange.JSON.objectNode().put("satellite", sat).put("event", n.asText())
                .put("bundle", bundle));
    }

    private static void checkName(String field, String s) {
        String p = Names.dnsLabelProblem(s);
        if (p != null) throw invalid(field, s, p);
    }
}
