package io.orchide.ground.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.ground.device.ReportedPositions;
import io.orchide.model.message.StatusReport;
import io.orchide.web.Exchange;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A satellite's nodes' positions as the API shows them: per node, the source and the fix with its age (how old the
 * fix is now, which can be far older than the satellite's last contact) or why there is none; a node that never
 * reported a position (none reported yet, or a node that predates position reports) says so.
 */
final class PositionView {
    /** Why ground shows no position for a node it knows. */
    static final String NOT_REPORTED = "the node has reported no position yet (a node from before position reports "
            + "never does)";

    private PositionView() {
    }

    /** One entry per node of {@code nodes}, then any other node that reported a position, in the order given. */
    static ArrayNode of(List<String> nodes, List<ReportedPositions.NodePosition> reported, Clock clock) {
        Map<String, ReportedPositions.NodePosition> byNode = new HashMap<>();
        reported.forEach(p -> byNode.put(p.node(), p));
        ArrayNode a = Exchange.JSON.arrayNode();
        for (String n : nodes) {
            ReportedPositions.NodePosition p = byNode.remove(n);
            if (p == null) a.addObject().put("node", n).put("reason", NOT_REPORTED);
            else a.add(view(p, clock));
        }
        for (ReportedPositions.NodePosition p : reported) if (byNode.containsKey(p.node())) a.add(view(p, clock));
        return a;
    }

    static ObjectNode view(ReportedPositions.NodePosition p, Clock clock) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("node", p.node()).put("source", p.position().source());
        StatusReport.Position.Fix f = p.position().fix();
        if (f != null) {
            ObjectNode n = o.putObject("fix");
            if (f.from() != null) n.put("from", f.from());
            n.put("time", f.time().toString()).put("ageSeconds", GroundApi.age(clock, f.time()))
                    .put("latitudeDeg", f.latitudeDeg()).put("longitudeDeg", f.longitudeDeg())
                    .put("altitudeM", f.altitudeM());
        } else {
            o.put("reason", p.position().reason());
        }
        o.put("reportedAt", p.reportedAt().toString()).put("reportAgeSeconds", GroundApi.age(clock, p.reportedAt()));
        return o;
    }
}
