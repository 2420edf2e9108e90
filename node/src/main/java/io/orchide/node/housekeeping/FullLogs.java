package io.orchide.node.housekeeping;

import io.orchide.model.message.FullLog;
import io.orchide.model.message.LogRequest;
import io.orchide.node.workload.NoSuchWorkloadException;
import io.orchide.runtime.supervise.ConsoleRing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Answers ground's requests for a workload's whole log: its console ring as the node holds it (the newest
 * {@link FullLog#MAX_BYTES} of it), or why there is none, queued for ground at once (it goes down at the next pass).
 */
public final class FullLogs {
    private final ConsoleSummaries.Consoles consoles;
    private final Clock clock;
    private volatile Consumer<byte[]> send = b -> {
        throw new IllegalStateException("full logs are not wired to the link yet");
    };

    public FullLogs(ConsoleSummaries.Consoles consoles, Clock clock) {
        this.consoles = consoles;
        this.clock = clock;
    }

    /** Where answers go: the link, once it is open. */
    public void sendTo(Consumer<byte[]> send) {
        this.send = send;
    }

    public FullLog answer(LogRequest r) {
        FullLog answer;
        try {
            String log = String.join("\n", ConsoleRing.tail(consoles.console(r.workload()), Integer.MAX_VALUE));
            byte[] b = log.getBytes(StandardCharsets.UTF_8);
            if (b.length > FullLog.MAX_BYTES) {
                log = new String(b, b.length - FullLog.MAX_BYTES, FullLog.MAX_BYTES, StandardCharsets.UTF_8);
            }
            answer = new FullLog(r.workload(), r.request(), clock.instant(), log, null);
        } catch (NoSuchWorkloadException e) {
            answer = new FullLog(r.workload(), r.request(), clock.instant(), "", "no workload " + r.workload() + " on this node");
        } catch (IOException e) {
            answer = new FullLog(r.workload(), r.request(), clock.instant(), "", "log unreadable: " + e.getMessage());
        }
        send.accept(answer.encode());
        return answer;
    }
}
