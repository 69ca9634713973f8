package dev.forge.node.cli;

/**
 * The CLI has no log configuration of its own: the node's SLF4J binding (JBoss LogManager) cannot
 * start outside Quarkus and prints eight error lines about it. Errors reach the user as
 * {@link CliException} lines instead, so libraries' logs are off unless FORGE_DEBUG=1.
 */
final class QuietLogging {
    private QuietLogging() {
    }

    static boolean debug() {
        return "1".equals(System.getenv("FORGE_DEBUG")) || Boolean.getBoolean("forge.debug");
    }

    static void apply() {
        if (debug()) {
            // The JBoss binding works once JBoss LogManager is the JDK's log manager; it logs to the console.
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        } else {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "ERROR"); // not even the line saying which provider was chosen
        }
    }
}
