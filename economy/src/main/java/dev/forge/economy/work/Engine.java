package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;

/**
 * How the work was run, as the provider states it: enough to tell whether a re-execution
 * elsewhere should give the same bytes (same kernel path and working type) or may differ.
 *
 * @param kernel the kernel path, e.g. "panama" or "native"
 * @param workingType the type the weights are multiplied in, e.g. "F32" or "I8"
 * @param hardware the CPU as the provider describes it
 */
public record Engine(String engine, String engineVersion, String kernel, String workingType, String forgeVersion,
                     String hardware) {
    private static final int MAX_BYTES = 64;
    private static final int MAX_HARDWARE_BYTES = 128;

    public Engine {
        Bytes.text(engine, MAX_BYTES, false, "engine");
        Bytes.text(engineVersion, MAX_BYTES, false, "engine version");
        Bytes.text(kernel, MAX_BYTES, false, "kernel");
        Bytes.text(workingType, MAX_BYTES, false, "working type");
        Bytes.text(forgeVersion, MAX_BYTES, false, "forge version");
        Bytes.text(hardware, MAX_HARDWARE_BYTES, true, "hardware");
    }

    /** Whether a run on {@code other} is expected to reproduce this one's bytes. */
    public boolean sameKernelPath(Engine other) {
        return engine.equals(other.engine) && engineVersion.equals(other.engineVersion) && kernel.equals(other.kernel)
                && workingType.equals(other.workingType);
    }

    CanonicalWriter write(CanonicalWriter out) {
        return out.string(engine).string(engineVersion).string(kernel).string(workingType).string(forgeVersion)
                .string(hardware);
    }

    static Engine read(CanonicalReader in) {
        return new Engine(in.string(), in.string(), in.string(), in.string(), in.string(), in.string());
    }
}
