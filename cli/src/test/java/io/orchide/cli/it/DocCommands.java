package io.orchide.cli.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of a Markdown document, in order: every line of its command blocks, which are the blocks fenced
 * with three backticks and no info string or {@code sh}, {@code shell}, {@code bash}. Blocks fenced with another
 * info string ({@code text}, {@code yaml}) are not commands. A command block right after the line
 * {@code <!-- doc-test: skip (reason) -->} is left out; the reason is required, so a skip says why. A command is one
 * line, several joined by a trailing {@code \\}, or a line with a here-document ({@code <<'EOF'}) up to its end.
 */
final class DocCommands {
    /** One command line of the document, with its line number (from 1) for error messages. */
    record Command(int line, String text) {
    }

    private static final Set<String> SHELL = Set.of("", "sh", "shell", "bash");
    private static final Pattern SKIP = Pattern.compile("<!--\\s*doc-test:\\s*skip\\s*\\((.+)\\)\\s*-->");
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*'?([A-Za-z_]+)'?");
    private static final Pattern SKIP_WITHOUT_REASON = Pattern.compile("<!--\\s*doc-test:\\s*skip\\b.*-->");

    private DocCommands() {
    }

    static List<Command> of(String markdown) {
        List<Command> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inBlock = false;
        boolean run = false;
        String previous = "";
        StringBuilder continued = null;
        int continuedFrom = 0;
        String heredocEnd = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (!inBlock && trimmed.startsWith("```")) {
                inBlock = true;
                boolean skipped = SKIP.matcher(previous).matches();
                if (!skipped && SKIP_WITHOUT_REASON.matcher(previous).matches()) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": a doc-test skip needs a reason in parentheses (got " + previous + ")");
                }
                run = SHELL.contains(trimmed.substring(3).strip()) && !skipped;
                continue;
            }
            if (inBlock && trimmed.equals("```")) {
                if (heredocEnd != null) throw new IllegalArgumentException("line " + continuedFrom + ": a here-document is not closed by " + heredocEnd);
                if (continued != null) throw new IllegalArgumentException("line " + continuedFrom + ": a command ends its block with '\\'");
                inBlock = false;
                previous = "";
                continue;
            }
            if (!inBlock) {
                if (!trimmed.isEmpty()) previous = trimmed;
                continue;
            }
            if (!run) continue;
            if (heredocEnd != null) {
                continued.append('\n').append(line);
                if (trimmed.equals(heredocEnd)) {
                    out.add(new Command(continuedFrom, continued.toString()));
                    continued = null;
                    heredocEnd = null;
                }
                continue;
            }
            if (continued != null) {
                continued.append('\n').append(line);
            } else if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            } else {
                continued = new StringBuilder(line);
                continuedFrom = i + 1;
            }
            Matcher heredoc = HEREDOC.matcher(line);
            if (heredoc.find()) {
                heredocEnd = heredoc.group(1);
                continue;
            }
            if (!line.endsWith("\\")) {
                out.add(new Command(continuedFrom, continued.toString()));
                continued = null;
            }
        }
        if (inBlock) throw new IllegalArgumentException("a code block is not closed");
        return List.copyOf(out);
    }
}
