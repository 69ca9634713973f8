package dev.forge.node.cli;

/** A command that cannot be done, with what to do about it; printed without a stack trace. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
