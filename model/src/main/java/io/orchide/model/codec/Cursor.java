package io.orchide.model.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A place in a manifest tree: the node found there (null when absent; an explicit null counts as absent), its
 * field path, and where errors go. The typed reads report a wrong type or value at this path and return null.
 */
public final class Cursor {
    private final JsonNode node;
    private final String path;
    private final Errors errors;

    private Cursor(JsonNode node, String path, Errors errors) {
        this.node = node == null || node.isNull() || node.isMissingNode() ? null : node;
        this.path = path;
        this.errors = errors;
    }

    public static Cursor root(JsonNode node, String path, Errors errors) {
        return new Cursor(node, path, errors);
    }

    public String path() {
        return path;
    }

    public boolean present() {
        return node != null;
    }

    public Cursor field(String name) {
        return new Cursor(node != null && node.isObject() ? node.get(name) : null, FieldPath.child(path, name), errors);
    }

    /** Reports an error at this path, with the value found here. */
    public void error(String message) {
        errors.add(path, node, message);
    }

    /** Reports an error at this path with {@code shown} as its value (a size, say, in place of a hidden value). */
    public void errorWith(String shown, String message) {
        errors.add(new io.orchide.model.FieldError(path, shown, message));
    }

    /** Reports that a required field is absent. */
    public void missing() {
        errors.add(path, null, "is required");
    }

    /** True when a mapping is here; reports a wrong type when something else is. */
    public boolean mapping() {
        if (node == null) return false;
        if (node.isObject()) return true;
        typeError("a mapping");
        return false;
    }

    /** As {@link #mapping()}, but a wrong type is reported without the value found (a secret's). */
    public boolean hiddenMapping() {
        if (node == null) return false;
        if (node.isObject()) return true;
        errors.add(path, null, "must be a mapping, not " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                + " (the value is not repeated: it may be a secret's)");
        return false;
    }

    /** Reports every field of this mapping whose name is not in {@code known}, at the unknown field's path. */
    public void allowOnly(Collection<String> known) {
        if (node == null || !node.isObject()) return;
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(FieldPath.child(path, name), null,
                        "unknown field; known fields here: " + String.join(", ", known));
            }
        });
    }

    public void allowOnly(String... known) {
        allowOnly(Arrays.asList(known));
    }

    /** True when an empty string is here, as YAML reads a key written with no value ({@code manual:}). */
    public boolean isEmptyText() {
        return node != null && node.isTextual() && node.textValue().isEmpty();
    }

    /** True when a mapping is here (nothing reported otherwise). */
    public boolean isMapping() {
        return node != null && node.isObject();
    }

    /** True when a list is here. */
    public boolean isList() {
        return node != null && node.isArray();
    }

    /** The items of the list here (empty when absent); reports a wrong type when something else is here. */
    public List<Cursor> items() {
        if (node == null) return List.of();
        if (!node.isArray()) {
            typeError("a list");
            return List.of();
        }
        List<Cursor> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) items.add(new Cursor(node.get(i), FieldPath.index(path, i), errors));
        return items;
    }

    /** The entries of the mapping here, in document order (empty when absent). */
    public Map<String, Cursor> entries() {
        Map<String, Cursor> entries = new LinkedHashMap<>();
        if (mapping()) node.fieldNames().forEachRemaining(name -> entries.put(name, field(name)));
        return entries;
    }

    /** An optional string; null when absent or of the wrong type. */
    public String string() {
        if (node == null) return null;
        if (!node.isTextual()) {
            typeError("a string" + (node.isValueNode() ? " (quote it)" : ""));
            return null;
        }
        return node.textValue();
    }

    /**
     * An optional string whose value an error never repeats (a secret's value): null when absent or not a string,
     * the error then naming only the path and the type found.
     */
    public String hiddenString() {
        if (node == null) return null;
        if (!node.isTextual()) {
            errors.add(path, null, "must be a string (quote it), not " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                    + " (the value is not repeated: it is a secret's)");
            return null;
        }
        return node.textValue();
    }

    /** An optional string that must not be empty when given. */
    public String nonEmptyString() {
        String s = string();
        if (s != null && s.isEmpty()) {
            error("must not be empty");
            return null;
        }
        return s;
    }

    /** A required, non-empty string. */
    public String requiredString() {
        if (node == null) {
            missing();
            return null;
        }
        return nonEmptyString();
    }

    /** A file path on the host: a non-empty string without NUL characters; null when absent and not required. */
    public String hostPath(boolean required) {
        String s = required ? requiredString() : nonEmptyString();
        if (s != null && s.indexOf('\0') >= 0) {
            error("must not contain a NUL character");
            return null;
        }
        return s;
    }

    /** A list of strings (empty when absent); items of another type are reported at their index. */
    public List<String> stringList() {
        List<String> result = new ArrayList<>();
        for (Cursor item : items()) {
            if (item.node == null) item.typeError("a string");
            String s = item.string();
            if (s != null) result.add(s);
        }
        return result;
    }

    /** A mapping of strings to strings (empty when absent); {@code keyProblem} returns null for a valid key. */
    public Map<String, String> stringMap(Function<String, String> keyProblem) {
        Map<String, String> result = new LinkedHashMap<>();
        entries().forEach((key, value) -> {
            String problem = keyProblem.apply(key);
            if (problem != null) errors.add(value.path, TextNode.valueOf(key), problem);
            if (value.node == null) value.typeError("a string");
            String s = value.string();
            if (problem == null && s != null) result.put(key, s);
        });
        return result;
    }

    /**
     * An optional whole number within [min, max]. Every number a document can spell is checked here, including
     * those a parser reads as infinite or not a number ({@code 1e999}, {@code .inf}, {@code .nan}).
     */
    public Integer integer(long min, long max) {
        if (node == null) return null;
        if (!node.isNumber()) {
            typeError("an integer");
            return null;
        }
        if (node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue())) {
            double d = node.doubleValue();
            String range = d > 0 ? "must be at most " + max : "must be at least " + min;
            error(Double.isNaN(d) ? "must be a whole number from " + min + " to " + max
                    : range + " (the number written is too large to read: it was read as infinite)");
            return null;
        }
        BigDecimal value = node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue();
        if (value.stripTrailingZeros().scale() > 0) {
            error("must be a whole number");
            return null;
        }
        // compared as decimals, never expanded to a whole number first: 1e100000 costs nothing to refuse
        if (value.compareTo(BigDecimal.valueOf(min)) < 0) {
            error("must be at least " + min);
            return null;
        }
        if (value.compareTo(BigDecimal.valueOf(max)) > 0) {
            error("must be at most " + max);
            return null;
        }
        return value.intValueExact();
    }

    /** An optional number (integer or decimal) within [min, max]. */
    public Double number(double min, double max) {
        if (node == null) return null;
        if (!node.isNumber()) {
            typeError("a number");
            return null;
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v) || v < min || v > max) {
            error("must be within [" + plain(min) + ", " + plain(max) + "]");
            return null;
        }
        return v;
    }

    /** An optional link rate in bits per second ({@link Rates}: 2M, 512k, 9600). */
    public Long rate() {
        if (node == null) return null;
        if (!node.isTextual() && !node.isIntegralNumber()) {
            typeError(Rates.SYNTAX);
            return null;
        }
        try {
            return Rates.parse(node.asText());
        } catch (IllegalArgumentException e) {
            error("must be " + Rates.SYNTAX);
            return null;
        }
    }

    /** An optional size in bytes ({@link Sizes}), at least {@code min}. */
    public Long size(long min) {
        if (node == null) return null;
        if (!node.isTextual() && !node.isIntegralNumber()) {
            typeError(Sizes.SYNTAX);
            return null;
        }
        try {
            long v = Sizes.parse(node.asText());
            if (v < min) {
                error("must be at least " + min + " bytes");
                return null;
            }
            return v;
        } catch (IllegalArgumentException e) {
            error(e.getMessage());
            return null;
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** An optional boolean ({@code true} or {@code false}, unquoted). */
    public Boolean bool() {
        if (node == null) return null;
        if (!node.isBoolean()) {
            typeError("true or false" + (node.isTextual() ? " (unquoted)" : ""));
            return null;
        }
        return node.booleanValue();
    }

    /** The names of the fields of the mapping here, including those whose value is null; empty otherwise. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        if (node != null && node.isObject()) node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** An optional duration in the {@link Durations} syntax. */
    public Duration duration() {
        if (node == null) return null;
        if (!node.isTextual()) {
            typeError(Durations.SYNTAX);
            return null;
        }
        try {
            return Durations.parse(node.textValue());
        } catch (IllegalArgumentException | ArithmeticException e) {
            error(e instanceof ArithmeticException ? "is too long" : e.getMessage());
            return null;
        }
    }

    /** An optional choice among {@code values}, matched by their wire name ({@code toString()}). */
    public <E extends Enum<E>> E choice(E[] values) {
        String s = string();
        if (s == null) return null;
        for (E v : values) if (v.toString().equals(s)) return v;
        error("must be one of: " + Arrays.stream(values).map(Object::toString).collect(Collectors.joining(", ")));
        return null;
    }

    /** A required choice among {@code values}. */
    public <E extends Enum<E>> E requiredChoice(E[] values) {
        if (node == null) {
            errors.add(path, null, "is required; one of: "
                    + Arrays.stream(values).map(Object::toString).collect(Collectors.joining(", ")));
            return null;
        }
        return choice(values);
    }

    private void typeError(String expected) {
        error("must be " + expected + ", not " + describe(node));
    }

    private static String describe(JsonNode n) {
        if (n == null) return "null";
        if (n.isTextual()) return "a string";
        if (n.isIntegralNumber()) return "an integer";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isArray()) return "a list";
        if (n.isObject()) return "a mapping";
        return "a " + n.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
