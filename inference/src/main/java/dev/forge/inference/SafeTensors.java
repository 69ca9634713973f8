package dev.forge.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes F32 tensors in the safetensors format: a little-endian header length, a JSON header, the data. */
final class SafeTensors {
    record Tensor(String name, int[] shape, float[] data) {
        Tensor {
            long size = 1;
            for (int d : shape) size *= d;
            if (size != data.length) throw new IllegalArgumentException(name + " has " + data.length + " values for its shape");
        }
    }

    private SafeTensors() {
    }

    static void write(Path file, List<Tensor> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Tensor t : tensors) {
            long end = offset + 4L * t.data().length;
            header.put(t.name(), Map.of("dtype", "F32", "shape", t.shape(), "data_offsets", List.of(offset, end)));
            offset = end;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the data starts 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(head.flip());
            for (Tensor t : tensors) {
                ByteBuffer data = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(t.data());
                out.write(data);
            }
        }
    }
}
