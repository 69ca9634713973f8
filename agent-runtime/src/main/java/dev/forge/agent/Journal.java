package dev.forge.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every step the agent took, one JSON object a line, appended to {@code journal.jsonl} in its
 * folder and flushed at once: when, which task, what it saw, what it decided and why, and what
 * came of it (the node's answer or refusal code). A person reads it with {@code jq} or less.
 */
public final class Journal implements AutoCloseable {
    public static final String FILE = "journal.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private long step;

    private Journal(BufferedWriter out) {
        this.out = out;
    }

    public static Journal open(Path folder) {
        try {
            Path file = folder.resolve(FILE);
            if (!Files.exists(file)) {
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
            return new Journal(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + folder, e);
        }
    }

    /** One step: the fields in the order given ({@code at} and {@code step} first). */
    public synchronized void write(long at, String task, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("at", at);
        line.put("step", ++step);
        line.put("task", task);
        line.putAll(fields);
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the journal", e);
        }
    }
}
