package io.orchide.cli.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A document's commands as one bash script that runs them in order as pasted, stopping at the first that fails
 * and naming its line. The only changes made to a command: {@code /tmp/} becomes a fresh directory of the test's and
 * every {@code 127.0.0.1:PORT} a free port (the same port each time it appears), so that a run neither meets an
 * earlier run's data nor a port in use. A server started in the background ({@code &}) with {@code --listen} is
 * waited for until its port accepts connections, as a reader waits for it to print that it is listening.
 */
final class DocScript {
    private static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1:(\\d{2,5})");
    private static final Pattern BACKGROUND = Pattern.compile("(?<!&)&\\s*(#.*)?$");
    private static final Pattern LISTEN = Pattern.compile("--listen\\s+127\\.0\\.0\\.1:(\\d{2,5})");

    private DocScript() {
    }

    /**
     * @param doc   the document's name, for the line markers
     * @param tmp   what {@code /tmp/} stands for
     * @param ports hands out free ports
     */
    static String of(String doc, List<DocCommands.Command> commands, Path tmp, IntSupplier ports) {
        Map<String, Integer> portMap = new LinkedHashMap<>();
        StringBuilder s = new StringBuilder("""
                set -eE -o pipefail
                DOC_LINE=0
                trap 'echo "doc-test: %s line $DOC_LINE failed (exit status $?)" >&2; exit 1' ERR
                """.formatted(doc));
        for (DocCommands.Command c : commands) {
            String text = c.text().replace("/tmp/", tmp.toString() + "/");
            Matcher m = ADDRESS.matcher(text);
            StringBuilder replaced = new StringBuilder();
            while (m.find()) {
                int port = portMap.computeIfAbsent(m.group(1), p -> ports.getAsInt());
                m.appendReplacement(replaced, "127.0.0.1:" + port);
            }
            m.appendTail(replaced);
            text = replaced.toString();
            s.append("DOC_LINE=").append(c.line()).append("; echo \"doc-test> ").append(doc).append(':').append(c.line())
                    .append("\" >&2\n");
            s.append(text).append('\n');
            Matcher listen = LISTEN.matcher(text);
            if (BACKGROUND.matcher(text).find() && listen.find()) {
                s.append("for i in $(seq 1200); do (exec 3<>/dev/tcp/127.0.0.1/").append(listen.group(1))
                        .append(") 2>/dev/null && break; sleep 0.1; done\n");
            }
        }
        return s.toString();
    }
}
