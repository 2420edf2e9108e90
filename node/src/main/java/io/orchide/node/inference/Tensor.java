package io.orchide.node.inference;

import io.orchide.model.FieldValueException;

import java.util.Arrays;

/**
 * A float32 tensor: its {@code shape} (every dimension at least 1) and its {@code data} in row-major order, as many
 * values as the shape holds. Arrays are kept as given: a tensor is handed from the request to the session and back,
 * never shared with anyone who changes it.
 */
public record Tensor(long[] shape, float[] data) {
    /** The most values a tensor may hold (4 M floats, 16 MiB). */
    public static final long MAX_ELEMENTS = 4L * 1024 * 1024;
    /** The most dimensions. */
    public static final int MAX_RANK = 8;

    public Tensor {
        if (shape == null || shape.length == 0 || shape.length > MAX_RANK) {
            throw new FieldValueException("shape", shape == null ? null : Arrays.toString(shape),
                    "must have 1 to " + MAX_RANK + " dimensions");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 1) throw new FieldValueException("shape", Arrays.toString(shape), "every dimension must be at least 1");
            n = Math.multiplyExact(n, d);
            if (n > MAX_ELEMENTS) throw new FieldValueException("shape", Arrays.toString(shape),
                    "holds more than " + MAX_ELEMENTS + " values");
        }
        if (data == null || data.length != n) {
            throw new FieldValueException("data", data == null ? null : data.length + " values",
                    "must hold " + n + " values, as shape " + Arrays.toString(shape) + " says");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
