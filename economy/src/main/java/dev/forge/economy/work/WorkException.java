package dev.forge.economy.work;

/** A work order or attestation that cannot be built or read; the code is stable. */
public final class WorkException extends RuntimeException {
    /** Stable codes, written as text wherever they leave the process. */
    public enum Code {
        MALFORMED("malformed_work_record"),
        INVALID_FIELD("invalid_argument"),
        /** A chat request is not the one the order names: its digest, model or parameters differ. */
        INPUT_MISMATCH("input_mismatch"),
        REPLAY_MISMATCH("replay_mismatch"),
        MODEL_MISMATCH("model_mismatch");

        private final String code;

        Code(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Code code;

    public WorkException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    static void require(boolean condition, String message) {
        if (!condition) throw new WorkException(Code.INVALID_FIELD, message);
    }
}
