package dev.forge.economy.work;

import java.util.Arrays;

/** What a work order asks for. The code is what is signed, so a kind is never renamed, only added. */
public enum WorkKind {
    /** One chat completion: the input is the canonical chat request. */
    INFERENCE_CHAT("inference.chat.v1"),
    /** A set of prompts run against a model: per-prompt output digests and a score. */
    EVAL("eval.v1");

    private final String code;

    WorkKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static WorkKind ofCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst()
                .orElseThrow(() -> new WorkException(WorkException.Code.INVALID_FIELD, "unknown work kind '" + code + "'"));
    }
}
