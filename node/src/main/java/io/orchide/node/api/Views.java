package io.orchide.node.api;

import io.orchide.web.Exchange;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.RuntimeSpec;
import io.orchide.model.Manifests;
import io.orchide.model.codec.AppWriter;
import io.orchide.node.store.EventRecord;
import io.orchide.node.store.RunRecord;
import io.orchide.node.workload.WorkloadView;
import io.orchide.runtime.Probe;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.image.UruncImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The JSON shapes of the local API, shared by every client (the CLI reads exactly these). */
final class Views {
    private Views() {
    }

    static ObjectNode workload(WorkloadView w) {
        ObjectNode o = Exchange.JSON.objectNode();
        App app = w.app();
        o.put("name", w.name());
        o.put("tenant", app.metadata().tenant());
        RuntimeSpec rt = w.runtime(); // as resolved at launch: an urunc image's annotations fill it in
        if (rt != null) {
            if (rt.family() != null) o.put("family", rt.family().wire());
            if (rt.monitor() != null) o.put("monitor", rt.monitor().wire());
            if (rt.arch() != null) o.put("arch", rt.arch().wire());
        }
        o.put("desired", w.desiredText());
        o.put("state", w.state().wire());
        o.put("message", w.message());
        o.put("restarts", w.restarts());
        o.put("generation", w.generation());
        o.put("created", w.createdAt().toString());
        if (w.startedAt() != null) o.put("started", w.startedAt().toString());
        if (w.monitorPid() != null) o.put("pid", w.monitorPid());
        return o;
    }

    static ObjectNode detail(WorkloadView w, List<EventRecord> events, List<RunRecord> runs) {
        ObjectNode o = workload(w);
        o.set("spec", specOf(w.app()));
        imageCmdline(w).ifPresent(c -> o.put("imageCmdline", c));
        ArrayNode h = o.putArray("history");
        for (EventRecord e : events) {
            h.addObject().put("at", e.at().toString()).put("state", e.state()).put("message", e.message());
        }
        ArrayNode r = o.putArray("runs");
        for (RunRecord run : runs) r.add(run(run));
        if (w.monitorPid() != null) {
            ProcessUsage u = ProcessUsage.of(w.monitorPid());
            o.putObject("usage").put("rssKiB", u.rssKiB()).put("cpuSeconds", u.cpuSeconds())
                    .put("processes", u.processes());
        }
        return o;
    }

    /** The command line an urunc image carries, which the App's args (when it has any) replace. */
    private static Optional<String> imageCmdline(WorkloadView w) {
        String image = w.app().spec().image();
        if (image == null || !image.startsWith("/")) return Optional.empty();
        Arch arch = w.runtime() != null && w.runtime().arch() != null ? w.runtime().arch()
                : Arch.host();
        try {
            return UruncImage.ofLayout(Path.of(image), ImageResolver.ociArch(arch)).map(UruncImage::cmdline);
        } catch (IOException e) {
            return Optional.empty(); // an unreadable image is reported by its launch, not by describe
        }
    }

    static ObjectNode run(RunRecord run) {
        ObjectNode n = Exchange.JSON.objectNode();
        n.put("attempt", run.attempt());
        n.put("generation", run.generation());
        n.put("state", run.state().name());
        n.put("started", run.startedAt().toString());
        if (run.endedAt() != null) n.put("ended", run.endedAt().toString());
        if (run.monitorPid() != null) n.put("pid", run.monitorPid());
        if (run.exitCode() != null) n.put("exitCode", run.exitCode());
        if (run.exitSignal() != null && run.exitSignal() != 0) n.put("signal", run.exitSignal());
        if (run.guestCode() != null) n.put("guestExitCode", run.guestCode());
        if (run.success() != null) n.put("success", run.success());
        if (run.reason() != null) n.put("reason", run.reason());
        n.put("runDir", run.runDir().toString());
        return n;
    }

    static ObjectNode probe(Probe p) {
        ObjectNode n = Exchange.JSON.objectNode();
        n.put("name", p.name());
        n.put("available", p.available());
        n.put("reason", p.reason());
        ObjectNode d = n.putObject("details");
        p.details().forEach(d::put);
        return n;
    }

    /** The App in the manifest wire shape, as {@link Manifests#toJson} writes it. */
    static ObjectNode specOf(App app) {
        return AppWriter.tree(app);
    }
}
