package dev.forge.economy.work;

/**
 * Runs an order again on the checker's own machine, with the order's model and parameters (the
 * node fills it with its engine). Only asked when the checker has the attested model digest.
 */
public interface Reexecution {
    /** What the re-run gave: its output body and how it was run. */
    record Run(byte[] output, Engine engine) {
        public Run {
            WorkException.require(output != null && engine != null, "a run has an output and an engine");
            output = output.clone();
        }

        @Override
        public byte[] output() {
            return output.clone();
        }
    }

    /** Whether this checker holds the model folder with this RFC 6962 root ({@link ModelDigest}). */
    boolean has(byte[] modelDigest);

    /**
     * Runs {@code order} on {@code input}, the input body whose digest the order names.
     *
     * @param completionTokens the tokens the attestation says were generated: a chat is re-run for
     *     at most that many, since a chat the buyer cut short (it hung up) attests only its prefix
     * @throws Exception when the run could not complete: the check is then inconclusive
     */
    Run run(WorkOrder order, byte[] input, long completionTokens) throws Exception;
}
