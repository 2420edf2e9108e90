package io.orchide.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's {@code when}: comparisons of what earlier steps left ({@code steps.<step>.exitCode},
 * {@code steps.<step>.outputs.<output>}, the output file's text trimmed) with numbers and quoted strings, joined
 * by {@code &&}, {@code ||}, {@code !} and parentheses. See {@link ConditionParser} for the grammar.
 * {@link #text()} gives the canonical text, which parses back to an equal condition.
 */
public sealed interface Condition {
    /** Values of references when a condition is evaluated; null when absent (step skipped, file not written). */
    interface Values {
        Integer exitCode(String step);

        String output(String step, String output);
    }

    record And(Condition left, Condition right) implements Condition {
    }

    record Or(Condition left, Condition right) implements Condition {
    }

    record Not(Condition operand) implements Condition {
    }

    record Compare(Operand left, Op op, Operand right) implements Condition {
    }

    /** One side of a comparison. */
    sealed interface Operand {
    }

    record ExitCode(String step) implements Operand {
    }

    record Output(String step, String output) implements Operand {
    }

    record Num(BigDecimal value) implements Operand {
    }

    record Text(String value) implements Operand {
    }

    enum Op {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Op(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }

        public boolean ordering() { return this != EQ && this != NE; }

        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
            };
        }

        @Override public String toString() { return symbol; }
    }

    /**
     * Parses a condition.
     *
     * @throws IllegalArgumentException saying what is wrong and at which column (counted from 1)
     */
    static Condition parse(String text) {
        return new ConditionParser(text).parse();
    }

    /** The canonical text: single spaces around operators, parentheses only where needed. */
    default String text() {
        return ConditionParser.print(this);
    }

    /** The references to earlier steps, in the order written. */
    default List<Operand> references() {
        List<Operand> refs = new ArrayList<>();
        List<Condition> todo = new ArrayList<>(List.of(this));
        while (!todo.isEmpty()) {
            Condition c = todo.remove(0);
            switch (c) {
                case And a -> todo.addAll(0, List.of(a.left(), a.right()));
                case Or o -> todo.addAll(0, List.of(o.left(), o.right()));
                case Not n -> todo.add(0, n.operand());
                case Compare cmp -> {
                    for (Operand op : List.of(cmp.left(), cmp.right())) {
                        if (op instanceof ExitCode || op instanceof Output) refs.add(op);
                    }
                }
            }
        }
        return refs;
    }

    /**
     * Whether the condition holds. Two sides that both read as numbers compare as numbers; otherwise {@code ==}
     * and {@code !=} compare text and an ordering is false. A comparison with an absent value is false.
     */
    default boolean evaluate(Values values) {
        return switch (this) {
            case And a -> a.left().evaluate(values) && a.right().evaluate(values);
            case Or o -> o.left().evaluate(values) || o.right().evaluate(values);
            case Not n -> !n.operand().evaluate(values);
            case Compare c -> compare(c, values);
        };
    }

    private static boolean compare(Compare c, Values values) {
        String left = value(c.left(), values);
        String right = value(c.right(), values);
        if (left == null || right == null) return false;
        BigDecimal l = number(left);
        BigDecimal r = number(right);
        if (l != null && r != null) return c.op().holds(l.compareTo(r));
        return !c.op().ordering() && c.op().holds(left.equals(right) ? 0 : 1);
    }

    private static String value(Operand o, Values values) {
        return switch (o) {
            case ExitCode e -> values.exitCode(e.step()) == null ? null : values.exitCode(e.step()).toString();
            case Output out -> values.output(out.step(), out.output()) == null ? null
                    : values.output(out.step(), out.output()).strip();
            case Num n -> n.value().toPlainString();
            case Text t -> t.value();
        };
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
