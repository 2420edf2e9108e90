package io.orchide.node.inference;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The example "cloud detector" as an ONNX model (opset 13), written byte by byte in ONNX's protobuf encoding so that
 * no tool or download is needed: input {@code scene} float32 [1, 1, 8, 8] (brightness 0..1); outputs {@code mask}
 * float32 [1, 1, 8, 8], 1 where a pixel is brighter than the threshold, else 0 ({@code Cast(Greater(scene, t))}),
 * and {@code cloud_fraction} float32 scalar, the mean of the mask ({@code ReduceMean}, keepdims 0).
 */
final class CloudMaskModel {
    private CloudMaskModel() {
    }

    /** The model with threshold {@code threshold}. */
    static byte[] bytes(float threshold) {
        Proto graph = new Proto()
                .message(1, node("Greater", new String[]{"scene", "t"}, "bright", null))
                .message(1, node("Cast", new String[]{"bright"}, "mask", new Proto().string(1, "to").varint(3, 1).varint(20, 2)))
                .message(1, node("ReduceMean", new String[]{"mask"}, "cloud_fraction",
                        new Proto().string(1, "keepdims").varint(3, 0).varint(20, 2)))
                .string(2, "cloud-mask")
                .message(5, new Proto().varint(2, 1).floats(4, threshold).string(8, "t"))
                .message(11, valueInfo("scene", 1, 1, 8, 8))
                .message(12, valueInfo("mask", 1, 1, 8, 8))
                .message(12, valueInfo("cloud_fraction"));
        return new Proto()
                .varint(1, 8)
                .string(2, "orchide-example")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13))
                .toByteArray();
    }

    private static Proto node(String op, String[] inputs, String output, Proto attribute) {
        Proto n = new Proto();
        for (String i : inputs) n.string(1, i);
        n.string(2, output).string(3, op + "_" + output).string(4, op);
        if (attribute != null) n.message(5, attribute);
        return n;
    }

    private static Proto valueInfo(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) shape.message(1, new Proto().varint(1, d));
        Proto tensorType = new Proto().varint(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** The protobuf wire format, as much of it as ONNX's messages above need. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.toByteArray());
        }

        Proto floats(int field, float... values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : values) b.putFloat(f);
            return bytes(field, b.array());
        }

        private Proto bytes(int field, byte[] data) {
            raw(((long) field << 3) | 2);
            raw(data.length);
            out.writeBytes(data);
            return this;
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
