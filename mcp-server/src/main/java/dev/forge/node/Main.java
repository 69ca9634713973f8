package dev.forge.node;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's entry point ({@code ./forge node}): runs Quarkus, and turns a startup failure into one
 * or two lines on stderr (what is wrong, what to do) with exit code 1. With {@code -Dforge.debug=true}
 * or {@code FORGE_DEBUG=1} Quarkus' own report and the stack trace are printed as well.
 */
@QuarkusMain
public final class Main implements QuarkusApplication {
    /** Quarkus' loggers that print a startup failure with its whole trace. */
    private static final List<String> FAILURE_LOGGERS = List.of("io.quarkus.runtime.Quarkus", "io.quarkus.runtime.Application",
            "io.quarkus.runtime.ApplicationLifecycleManager");
    // Held so that the JUL loggers (and their levels) are not garbage-collected.
    private static final List<Logger> SILENCED = new java.util.ArrayList<>();

    public static void main(String... args) {
        if (!debug()) silenceFailureLoggers();
        Quarkus.run(Main.class, Main::exit, args);
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }

    static boolean debug() {
        return Boolean.getBoolean("forge.debug") || "1".equals(System.getenv("FORGE_DEBUG"));
    }

    private static void silenceFailureLoggers() {
        for (String name : FAILURE_LOGGERS) {
            System.setProperty("quarkus.log.category.\"" + name + "\".level", "OFF");
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.OFF);
            SILENCED.add(logger);
        }
    }

    private static void exit(int code, Throwable failure) {
        if (failure != null) {
            System.err.println(StartupFailure.describe(failure));
            if (debug()) failure.printStackTrace();
        }
        System.exit(code == 0 && failure != null ? 1 : code);
    }
}
