package io.orchide.model;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints {@link Condition}s. The grammar, loosest first:
 * <pre>
 * or      := and ( "||" and )*
 * and     := not ( "&amp;&amp;" not )*
 * not     := "!" not | "(" or ")" | compare
 * compare := operand ( "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) operand
 * operand := steps.NAME.exitCode | steps.NAME.outputs.NAME | NUMBER | "text" | 'text'
 * </pre>
 * NUMBER is {@code -?[0-9]+(.[0-9]+)?}; in text, a backslash escapes the quote and the backslash. A comparison
 * needs a reference on at least one side; an exit code compares with numbers only; an ordering with numbers only.
 */
final class ConditionParser {
    static final int MAX_LENGTH = 1024;
    static final int MAX_DEPTH = 32;

    private static final Pattern REF = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern EXIT = Pattern.compile("steps\\.([^.]+)\\.exitCode");
    private static final Pattern OUTPUT = Pattern.compile("steps\\.([^.]+)\\.outputs\\.([^.]+)");

    private final String text;
    private int pos;
    private int depth;

    ConditionParser(String text) {
        this.text = text;
    }

    Condition parse() {
        if (text.length() > MAX_LENGTH) throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        skipSpace();
        if (pos == text.length()) throw new IllegalArgumentException("must not be empty");
        Condition c = or();
        skipSpace();
        if (pos < text.length()) throw fail("expected && or || or the end");
        return c;
    }

    private Condition or() {
        Condition left = and();
        while (accept("||")) left = new Condition.Or(left, and());
        return left;
    }

    private Condition and() {
        Condition left = not();
        while (accept("&&")) left = new Condition.And(left, not());
        return left;
    }

    private Condition not() {
        if (++depth > MAX_DEPTH) throw fail("nests deeper than " + MAX_DEPTH + " levels");
        try {
            if (accept("!")) return new Condition.Not(not());
            if (accept("(")) {
                Condition inner = or();
                if (!accept(")")) throw fail("expected )");
                return inner;
            }
            return compare();
        } finally {
            depth--;
        }
    }

    private Condition compare() {
        skipSpace();
        int leftAt = pos;
        Condition.Operand left = operand();
        skipSpace();
        Condition.Op op = null;
        for (String s : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
            if (text.startsWith(s, pos)) {
                op = op(s);
                pos += s.length();
                break;
            }
        }
        if (op == null) throw fail("expected a comparison operator (==, !=, <, <=, >, >=)");
        Condition.Operand right = operand();
        check(left, op, right, leftAt);
        return new Condition.Compare(left, op, right);
    }

    private static Condition.Op op(String symbol) {
        for (Condition.Op o : Condition.Op.values()) if (o.symbol().equals(symbol)) return o;
        throw new IllegalStateException(symbol);
    }

    private void check(Condition.Operand left, Condition.Op op, Condition.Operand right, int at) {
        boolean leftRef = isRef(left);
        boolean rightRef = isRef(right);
        if (!leftRef && !rightRef) throw fail(at, "compares two constants; one side must be steps.<step>...");
        if (left instanceof Condition.Text || right instanceof Condition.Text) {
            if (op.ordering()) throw fail(at, op + " compares numbers; text compares with == and != only");
            if (left instanceof Condition.ExitCode || right instanceof Condition.ExitCode) {
                throw fail(at, "an exitCode is a number; compare it with a number");
            }
        }
    }

    private static boolean isRef(Condition.Operand o) {
        return o instanceof Condition.ExitCode || o instanceof Condition.Output;
    }

    private Condition.Operand operand() {
        skipSpace();
        if (pos == text.length()) throw fail("expected steps.<step>.exitCode, steps.<step>.outputs.<output>, "
                + "a number or a quoted string");
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') return string(c);
        Matcher n = NUMBER.matcher(text).region(pos, text.length());
        if (n.lookingAt()) {
            pos = n.end();
            return new Condition.Num(new BigDecimal(n.group()));
        }
        Matcher r = REF.matcher(text).region(pos, text.length());
        if (!r.lookingAt()) throw fail("expected steps.<step>.exitCode, steps.<step>.outputs.<output>, "
                + "a number or a quoted string");
        return reference(r.group());
    }

    private Condition.Operand reference(String ref) {
        Matcher exit = EXIT.matcher(ref);
        Matcher out = OUTPUT.matcher(ref);
        Condition.Operand result;
        if (exit.matches()) {
            name(exit.group(1), "step");
            result = new Condition.ExitCode(exit.group(1));
        } else if (out.matches()) {
            name(out.group(1), "step");
            name(out.group(2), "output");
            result = new Condition.Output(out.group(1), out.group(2));
        } else {
            throw fail("unknown reference " + ref + "; write steps.<step>.exitCode or steps.<step>.outputs.<output>");
        }
        pos += ref.length();
        return result;
    }

    private void name(String name, String what) {
        String problem = Names.dnsLabelProblem(name);
        if (problem != null) throw fail(what + " name " + name + " " + problem);
    }

    private Condition.Operand string(char quote) {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) return new Condition.Text(sb.toString());
            if (c == '\\' && pos < text.length()) c = text.charAt(pos++);
            sb.append(c);
        }
        throw fail(start, "string is not closed");
    }

    private boolean accept(String token) {
        skipSpace();
        if (!text.startsWith(token, pos)) return false;
        if (token.equals("!") && text.startsWith("!=", pos)) return false;
        pos += token.length();
        return true;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private IllegalArgumentException fail(String message) {
        return fail(pos, message);
    }

    private static IllegalArgumentException fail(int at, String message) {
        return new IllegalArgumentException("does not parse at column " + (at + 1) + ": " + message);
    }

    /** The canonical text of {@code c}. */
    static String print(Condition c) {
        return switch (c) {
            case Condition.Or o -> print(o.left(), 1, false) + " || " + print(o.right(), 1, true);
            case Condition.And a -> print(a.left(), 2, false) + " && " + print(a.right(), 2, true);
            case Condition.Not n -> "!" + (n.operand() instanceof Condition.Not ? print(n.operand())
                    : "(" + print(n.operand()) + ")");
            case Condition.Compare cmp -> operand(cmp.left()) + " " + cmp.op() + " " + operand(cmp.right());
        };
    }

    private static String print(Condition child, int parent, boolean right) {
        int p = switch (child) {
            case Condition.Or o -> 1;
            case Condition.And a -> 2;
            default -> 3;
        };
        String s = print(child);
        return p < parent || (right && p == parent) ? "(" + s + ")" : s;
    }

    private static String operand(Condition.Operand o) {
        return switch (o) {
            case Condition.ExitCode e -> "steps." + e.step() + ".exitCode";
            case Condition.Output out -> "steps." + out.step() + ".outputs." + out.output();
            case Condition.Num n -> n.value().toPlainString();
            case Condition.Text t -> "\"" + t.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        };
    }
}
