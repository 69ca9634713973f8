package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.ledger.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One chat as it is paid for and run: the model, what it is asked, and the parameters that
 * make the run replayable. Its bytes ({@value #TAG}, field by field in {@code docs/ledger.md})
 * are what an {@code inference.chat.v1} work order's input digest is the SHA-256 of, and what
 * a chat's trade and approval bind, so a buyer, a provider and an auditor compute the same
 * digest without Forge's code.
 *
 * @param model the model's name, or "" when the order names a tier instead
 * @param input the messages of a chat, or a text to continue
 */
public record ChatRequest(String model, Input input, Replay replay) {
    public static final String TAG = "forge/chat-request/v1";
    public static final int MAX_MESSAGES = 1_000;
    /** All the texts of one request together: 4 MiB, more than the 1,000,000 characters a node takes. */
    public static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;

    /** What the model is asked. The code is what is written, so a form is never renumbered. */
    public sealed interface Input {
        int code();
    }

    /** A conversation, rendered by the model's chat template. */
    public record Messages(List<Message> messages) implements Input {
        public static final int CODE = 1;

        public Messages {
            WorkException.require(messages != null && !messages.isEmpty() && messages.size() <= MAX_MESSAGES,
                    "a chat has 1 to " + MAX_MESSAGES + " messages");
            messages = List.copyOf(messages);
        }

        @Override
        public int code() {
            return CODE;
        }
    }

    /** A text the model continues as it is, with no template. */
    public record Text(String text) implements Input {
        public static final int CODE = 2;

        public Text {
            WorkException.require(text != null && !text.isEmpty(), "the text is empty");
        }

        @Override
        public int code() {
            return CODE;
        }
    }

    /** One turn of a chat; content may be empty, never null. */
    public record Message(Role role, String content) {
        public Message {
            WorkException.require(role != null && content != null, "a message needs a role and a content");
        }
    }

    /** Who speaks. The code is what is written; a role is never renumbered, only added. */
    public enum Role {
        SYSTEM(1), USER(2), ASSISTANT(3);

        private final int code;

        Role(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Role ofCode(int code) {
            return Arrays.stream(values()).filter(r -> r.code == code).findFirst()
                    .orElseThrow(() -> new WorkException(WorkException.Code.INVALID_FIELD, "unknown role " + code));
        }
    }

    public ChatRequest {
        Bytes.text(model, Limits.MAX_MODEL_BYTES, true, "model");
        WorkException.require(input != null && replay != null, "input and replay are required");
        utf8Length(model);
        replay.stop().forEach(ChatRequest::utf8Length); // strings are written leniently: check they have a UTF-8 form
        WorkException.require(textBytes(input) <= MAX_TEXT_BYTES, "the texts are longer than " + MAX_TEXT_BYTES + " bytes");
    }

    public static ChatRequest chat(String model, List<Message> messages, Replay replay) {
        return new ChatRequest(model, new Messages(messages), replay);
    }

    public static ChatRequest text(String model, String text, Replay replay) {
        return new ChatRequest(model, new Text(text), replay);
    }

    /** The canonical bytes: the body of an {@code inference.chat.v1} order's input. */
    public byte[] bytes() {
        var out = new CanonicalWriter(256).string(TAG).string(model).u8(input.code());
        switch (input) {
            case Messages m -> {
                out.i32(m.messages().size());
                for (Message message : m.messages()) out.u8(message.role().code()).text(message.content(), MAX_TEXT_BYTES);
            }
            case Text t -> out.text(t.text(), MAX_TEXT_BYTES);
        }
        return replay.write(out).toByteArray();
    }

    /** SHA-256 of {@link #bytes()}: the request digest of the chat's trade, approval and work order. */
    public byte[] digest() {
        return Sha256.hash(bytes());
    }

    /** Reads canonical bytes strictly: a wrong tag, an unknown code, a field out of bounds or trailing bytes are malformed. */
    public static ChatRequest read(byte[] bytes) {
        return Bytes.decode(bytes, "chat request", ChatRequest::read);
    }

    static ChatRequest read(CanonicalReader in) {
        Bytes.expectTag(in, TAG);
        String model = in.string();
        int form = in.u8();
        Input input = switch (form) {
            case Messages.CODE -> new Messages(messages(in));
            case Text.CODE -> new Text(in.text(MAX_TEXT_BYTES));
            default -> throw new WorkException(WorkException.Code.INVALID_FIELD, "unknown input form " + form);
        };
        return new ChatRequest(model, input, Replay.read(in));
    }

    private static List<Message> messages(CanonicalReader in) {
        int count = in.i32();
        WorkException.require(count >= 1 && count <= MAX_MESSAGES, "a chat has 1 to " + MAX_MESSAGES + " messages");
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) messages.add(new Message(Role.ofCode(in.u8()), in.text(MAX_TEXT_BYTES)));
        return messages;
    }

    /**
     * Checks that {@code order} orders exactly this request: an {@code inference.chat.v1} order
     * whose input digest is {@link #digest()}, whose model field is this request's model (both
     * "" for a tier), and whose parameters are this request's. The node checks this before it
     * accepts a chat order, and a provider before it runs one.
     *
     * @throws WorkException with {@code invalid_argument}, {@code input_mismatch}, {@code model_mismatch}
     *     or {@code replay_mismatch}
     */
    public void requireOrderedBy(WorkOrder order) {
        WorkException.require(order.kind() == WorkKind.INFERENCE_CHAT,
                "a chat request is the input of an " + WorkKind.INFERENCE_CHAT.code() + " order, not " + order.kind().code());
        mismatch(Arrays.equals(order.inputDigest(), digest()), WorkException.Code.INPUT_MISMATCH,
                "the order's input digest is not this request's");
        mismatch(order.model().equals(model), WorkException.Code.MODEL_MISMATCH,
                "the order names model '" + order.model() + "', the request '" + model + "'");
        mismatch(order.replay().equals(replay), WorkException.Code.REPLAY_MISMATCH,
                "the order's parameters " + order.replay() + " are not the request's " + replay);
    }

    /** Reads the body an order names as its input, and checks it is what the order ordered. */
    public static ChatRequest orderedBy(WorkOrder order, byte[] body) {
        ChatRequest request = read(body);
        request.requireOrderedBy(order);
        return request;
    }

    private static void mismatch(boolean matches, WorkException.Code code, String message) {
        if (!matches) throw new WorkException(code, message);
    }

    private static long textBytes(Input input) {
        return switch (input) {
            case Messages m -> m.messages().stream().mapToLong(message -> utf8Length(message.content())).sum();
            case Text t -> utf8Length(t.text());
        };
    }

    /** The UTF-8 length; an unpaired surrogate (no UTF-8 form, so no canonical bytes) is refused. */
    private static long utf8Length(String text) {
        try {
            return CanonicalWriter.utf8(text).length;
        } catch (IllegalArgumentException e) {
            throw new WorkException(WorkException.Code.INVALID_FIELD, e.getMessage());
        }
    }
}
