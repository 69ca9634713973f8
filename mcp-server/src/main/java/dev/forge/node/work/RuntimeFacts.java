package dev.forge.node.work;

import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/** How this process runs jlama, stated as a provider's attestation states it (see the provider's ChatRunner). */
final class RuntimeFacts {
    private RuntimeFacts() {
    }

    /** jlama picks its kernels once per process: native SIMD when its library loads, else the Vector API. */
    static String kernel() {
        String name = TensorOperationsProvider.get().name().toLowerCase(Locale.ROOT);
        if (name.contains("native")) return "native";
        if (name.contains("panama")) return "panama";
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    static String jlamaVersion() {
        return resourceProperty("/META-INF/maven/com.github.tjake/jlama-core/pom.properties", "version");
    }

    static String forgeVersion() {
        return resourceProperty("/forge-version.properties", "version");
    }

    private static String resourceProperty(String resource, String key) {
        Properties properties = new Properties();
        try (InputStream in = RuntimeFacts.class.getResourceAsStream(resource)) {
            if (in != null) properties.load(in);
        } catch (IOException e) {
            // An unreadable version is stated as unknown, not guessed.
        }
        return properties.getProperty(key, "unknown");
    }

    static String hardware() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no /proc: the core count alone.
        }
        String text = (cpu.isEmpty() ? "" : cpu + ", ") + Runtime.getRuntime().availableProcessors() + " cores";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 128 ? text : new String(bytes, 0, 128, StandardCharsets.UTF_8).replaceAll("\uFFFD$", "");
    }
}
