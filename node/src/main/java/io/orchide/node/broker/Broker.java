package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrant;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.model.FieldValueException;
import io.orchide.model.message.StatusReport;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.Position;
import io.orchide.node.device.PositionSource;
import io.orchide.node.position.PositionUnavailableException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Owns the node's shared devices: decides every request by the grants (one that covers the caller, gives the verb,
 * is in its windows, under its quota and rate limit), leases a device exclusively for a capture or a
 * reconfiguration (a higher-priority caller gets it before a lower one; a held lease makes others wait, see
 * {@link Leases}), has the device's handler do the work, and records every decision in the audit. A request that
 * waits for a lease has been allowed and counted already: the quota counts what was granted, not when it ran. What each
 * grant allowed lately is kept in node.db ({@link GrantUses}), so a restart gives no quota back.
 */
public final class Broker {
    /** The origin of the broker's audit records. */
    public static final String ORIGIN = "broker";
    /** The kind the broker's audit records name. */
    public static final String KIND = "Device";
    /** The verb and kind of the audit records of requests the broker could not read, and their outcome's code. */
    public static final String MALFORMED_VERB = "request", INVALID = "invalid";

    /** What a request came to: the decision and, when allowed and done, the handler's answer. */
    /** A kind of decision the broker counts: a verb and its outcome ({@code allowed} or a refusal's code). */
    public record Tally(String verb, String outcome) {
    }

    public record Outcome(Decision decision, ObjectNode result) {
    }

    private final DeviceTwin twin;
    private final Function<String, List<DeviceGrant>> grants;
    private final Leases leases;
    private final Clock clock;
    private final PositionSource position;
    private final Duration orbitPeriod;
    private final Consumer<AuditTrail.Change> audit;
    private final Map<Tally, LongAdder> tallies = new ConcurrentHashMap<>();
    private final MalformedRequests malformed = new MalformedRequests();
    private final DeviceHandler fallback;
    private final Map<String, DeviceHandler> handlers = new HashMap<>();
    private final Map<String, GrantUse> uses = new HashMap<>();
    private final GrantUses stored;
    private final Map<String, VerbHandler> verbs = new ConcurrentHashMap<>();

    /**
     * Over the devices of {@code twin}, the grants {@code grants} gives for a device, {@code position} (null, or a
     * source that answers {@link PositionUnavailableException} now: the node does not know where it is, and grants
     * with a region or sunlight refuse with {@link Decision#NO_POSITION}), quotas per orbit counted over
     * {@code orbitPeriod}, each decision given to {@code audit}.
     */
    public Broker(DeviceTwin twin, Function<String, List<DeviceGrant>> grants, Leases leases, Clock clock,
                  PositionSource position, Duration orbitPeriod, Consumer<AuditTrail.Change> audit) {
        this(twin, grants, leases, clock, position, orbitPeriod, audit, GrantUses.MEMORY);
    }

    /**
     * As above, each grant's use kept in {@code stored} and read back from it, so that quotas per orbit and per day
     * hold across an agent restart.
     */
    public Broker(DeviceTwin twin, Function<String, List<DeviceGrant>> grants, Leases leases, Clock clock,
                  PositionSource position, Duration orbitPeriod, Consumer<AuditTrail.Change> audit, GrantUses stored) {
        this.stored = Objects.requireNonNull(stored);
        this.twin = Objects.requireNonNull(twin);
        this.grants = Objects.requireNonNull(grants);
        this.leases = Objects.requireNonNull(leases);
        this.clock = Objects.requireNonNull(clock);
        this.position = position;
        this.orbitPeriod = Objects.requireNonNull(orbitPeriod);
        this.audit = Objects.requireNonNull(audit);
        this.fallback = new TwinHandler(twin);
    }

    /** Has {@code handler} serve device {@code name} (a camera's captures), instead of {@link TwinHandler}. */
    public Broker handle(String name, DeviceHandler handler) {
        synchronized (handlers) {
            handlers.put(name, handler);
        }
        return this;
    }

    /** Has {@code handler} answer requests of {@code verb}, a verb that names no device ({@code infer}). */
    public Broker handleVerb(String verb, VerbHandler handler) {
        if (DeviceGrantSpec.Verb.of(verb) != null) throw new IllegalArgumentException(verb + " is a device verb");
        verbs.put(verb, handler);
        return this;
    }

    /** Every verb answered: the device verbs, then the others by name. */
    List<String> verbs() {
        List<String> out = new ArrayList<>();
        for (DeviceGrantSpec.Verb v : DeviceGrantSpec.Verb.values()) out.add(v.toString());
        out.addAll(new java.util.TreeSet<>(verbs.keySet()));
        return out;
    }

    /** Counts a decision a {@link VerbHandler} took, with the device verbs' ({@link #tallies}). */
    void count(String verb, String outcome) {
        tallies.computeIfAbsent(new Tally(verb, outcome), t -> new LongAdder()).increment();
    }

    /** The handler of {@code verb}, a verb that names no device, or null. */
    VerbHandler verbHandler(String verb) {
        return verb == null ? null : verbs.get(verb);
    }

    public Leases leases() {
        return leases;
    }

    public DeviceTwin twin() {
        return twin;
    }

    /** What grant {@code name} was used for: allowed requests in the current orbit and in the current UTC day. */
    public record Usage(long thisOrbit, long today) {
    }

    public synchronized Usage usage(String grant) {
        GrantUse use = use(grant);
        long[] c = use.counts(orbitPeriod, clock.instant());
        return new Usage(c[0], c[1]);
    }

    /** How many decisions of each kind the broker took since the agent started. */
    public Map<Tally, Long> tallies() {
        Map<Tally, Long> out = new TreeMap<>(Comparator.comparing(Tally::verb).thenComparing(Tally::outcome));
        tallies.forEach((t, n) -> out.put(t, n.sum()));
        return out;
    }

    /**
     * Audits a request of {@code caller} that the broker could not read ({@code problem} names the field and what is
     * wrong), coalesced as {@link MalformedRequests} says, and counts it as verb {@code request}, outcome
     * {@code invalid}.
     */
    void malformed(Caller caller, String problem) {
        count(MALFORMED_VERB, INVALID);
        auditMalformed(caller, problem);
    }

    /** Audits a malformed request as {@link #malformed} does, without counting it (its verb's handler did). */
    void auditMalformed(Caller caller, String problem) {
        String reason = malformed.note(caller, problem, clock.instant());
        if (reason != null) {
            audit.accept(new AuditTrail.Change(ORIGIN, MALFORMED_VERB, MALFORMED_VERB, caller.name(), caller.tenant(),
                    null, StatusReport.Audit.REFUSED, reason));
        }
    }

    /** Decides whether {@code caller} may {@code verb} device {@code device} now, counts it when allowed, audits it. */
    public Decision decide(Caller caller, String device, DeviceGrantSpec.Verb verb) {
        Decision d;
        synchronized (this) {
            Instant now = clock.instant();
            d = decideLocked(caller, device, verb, now);
            if (d.allowed()) {
                // the request's count and its audit record, stored before the answer: a restart right after it still
                // counts it and still has its record
                stored.added(d.grant(), now, use(d.grant()).size(), () -> audit.accept(change(caller, device, verb, d)));
            }
        }
        tallies.computeIfAbsent(new Tally(verb.toString(), d.code()), t -> new LongAdder()).increment();
        if (!d.allowed()) audit.accept(change(caller, device, verb, d));
        return d;
    }

    private static AuditTrail.Change change(Caller caller, String device, DeviceGrantSpec.Verb verb, Decision d) {
        return new AuditTrail.Change(ORIGIN, verb.toString(), KIND, device, caller.tenant(), null,
                d.allowed() ? StatusReport.Audit.ALLOWED : StatusReport.Audit.REFUSED,
                caller.kind() + " " + caller.name() + ": " + d.reason());
    }

    /**
     * Decides, then, when allowed, waits for the device's lease (capture and configure), has the device's handler do
     * the work and gives the lease back.
     */
    public Outcome perform(Caller caller, String device, DeviceGrantSpec.Verb verb, JsonNode args)
            throws IOException, InterruptedException {
        Decision d = decide(caller, device, verb);
        if (!d.allowed()) return new Outcome(d, null);
        DeviceTwin.View view = twin.get(device).orElseThrow();
        DeviceHandler h;
        synchronized (handlers) {
            h = handlers.getOrDefault(device, fallback);
        }
        if (verb == DeviceGrantSpec.Verb.READ) return new Outcome(d, handled(h, verb, view, caller, args, d));
        CompletableFuture<Leases.Lease> f = leases.acquire(device, caller.holder(), caller.priority());
        Leases.Lease lease;
        try {
            lease = f.get();
        } catch (InterruptedException e) {
            leases.cancel(f);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("lease of " + device + " failed", e.getCause());
        }
        try {
            return new Outcome(d, handled(h, verb, twin.get(device).orElse(view), caller, args, d));
        } finally {
            leases.release(lease);
        }
    }

    /**
     * The handler's answer; a request the device then refuses (a dataset the caller may not write, a bad property) or
     * fails is audited as refused too, since the grant's {@code allowed} record alone would say it was done.
     */
    private ObjectNode handled(DeviceHandler h, DeviceGrantSpec.Verb verb, DeviceTwin.View view, Caller caller,
                               JsonNode args, Decision d) throws IOException {
        try {
            return h.handle(verb, view, caller, args);
        } catch (FieldValueException | IOException e) {
            String why = e instanceof FieldValueException f ? "refused by the device (" + f.field() + "): " + e.getMessage()
                    : "failed on the device: " + e.getMessage();
            audit.accept(new AuditTrail.Change(ORIGIN, verb.toString(), KIND, view.name(), caller.tenant(), null,
                    StatusReport.Audit.REFUSED, caller.kind() + " " + caller.name() + ": allowed under grant " + d.grant()
                    + ", then " + why));
            throw e;
        }
    }

    private Decision decideLocked(Caller caller, String device, DeviceGrantSpec.Verb verb, Instant now) {
        if (twin.get(device).isEmpty()) {
            return Decision.refuse(Decision.NO_SUCH_DEVICE, "no device " + device + " on this node", null);
        }
        List<DeviceGrant> covering = new ArrayList<>();
        for (DeviceGrant g : grants.apply(device)) {
            if (g.covers(caller.tenant(), caller.kind(), caller.name())) covering.add(g);
        }
        if (covering.isEmpty()) {
            return Decision.refuse(Decision.NO_GRANT, "no grant gives device " + device + " to " + caller.kind() + " "
                    + caller.name() + " of tenant " + caller.tenant(), null);
        }
        List<DeviceGrant> withVerb = covering.stream().filter(g -> g.spec().verbs().contains(verb)).toList();
        if (withVerb.isEmpty()) {
            return Decision.refuse(Decision.VERB_NOT_GRANTED, "the grants of " + caller.kind() + " " + caller.name()
                    + " on device " + device + " (" + String.join(", ", covering.stream().map(DeviceGrant::name).toList())
                    + ") do not give " + verb, covering.getFirst().name());
        }
        Decision first = null;
        for (DeviceGrant g : withVerb) {
            Decision refusal = windowRefusal(g, now);
            GrantUse use = use(g.name());
            if (refusal == null) refusal = use.refusal(g.name(), g.spec(), orbitPeriod, now);
            if (refusal == null) {
                use.add(g.spec(), orbitPeriod, now);
                return Decision.allow(g.name());
            }
            if (first == null) first = refusal;
        }
        return first;
    }

    /** Grant {@code name}'s use, read from the store the first time it is asked for since the agent started. */
    private GrantUse use(String name) {
        return uses.computeIfAbsent(name, k -> new GrantUse(stored.times(k)));
    }

    private Decision windowRefusal(DeviceGrant g, Instant now) {
        DeviceGrantSpec.Windows w = g.spec().windows();
        if (!w.utc().isEmpty()) {
            LocalTime t = LocalTime.ofInstant(now, ZoneOffset.UTC);
            if (w.utc().stream().noneMatch(u -> u.contains(t))) {
                return Decision.refuse(Decision.OUTSIDE_WINDOW, "outside the UTC windows of grant " + g.name() + " ("
                        + String.join(", ", w.utc().stream().map(Object::toString).toList()) + "; now " + now + ")", g.name());
            }
        }
        if (!w.needsPosition()) return null;
        if (position == null) {
            return Decision.refuse(Decision.NO_POSITION, "grant " + g.name()
                    + " holds by position, and this node does not know where it is", g.name());
        }
        Position p;
        try {
            p = position.at(now);
        } catch (PositionUnavailableException e) {
            return Decision.refuse(Decision.NO_POSITION, "grant " + g.name() + " holds by position, and this node "
                    + "cannot say where it is now: " + e.getMessage(), g.name());
        }
        String where = String.format(Locale.ROOT, "%.2f, %.2f", p.latitudeDeg(), p.longitudeDeg());
        if (w.region() != null && !w.region().contains(p.latitudeDeg(), p.longitudeDeg())) {
            DeviceGrantSpec.Region r = w.region();
            return Decision.refuse(Decision.OUTSIDE_WINDOW, "the sub-satellite point (" + where + ") is outside the "
                    + "region of grant " + g.name() + String.format(Locale.ROOT, " (lat %s..%s, lon %s..%s)",
                    r.minLat(), r.maxLat(), r.minLon(), r.maxLon()), g.name());
        }
        if (w.sunlight() && !Sunlight.lit(p.latitudeDeg(), p.longitudeDeg(), now)) {
            return Decision.refuse(Decision.OUTSIDE_WINDOW, "the sub-satellite point (" + where + ") is not in "
                    + "sunlight, as grant " + g.name() + " requires (now " + now + ")", g.name());
        }
        return null;
    }
}
