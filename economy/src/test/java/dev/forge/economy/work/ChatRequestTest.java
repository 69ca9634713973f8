package dev.forge.economy.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.economy.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestTest {
    static final Replay REPLAY = new Replay(64, 700, 42, List.of("\n\n", "END"));

    static ChatRequest chat() {
        return ChatRequest.chat("stories260K", List.of(
                new ChatRequest.Message(ChatRequest.Role.SYSTEM, "Be brief."),
                new ChatRequest.Message(ChatRequest.Role.USER, "Tell me a story about a café ☕"),
                new ChatRequest.Message(ChatRequest.Role.ASSISTANT, "")), REPLAY);
    }

    /** The bytes written from docs/ledger.md's table with a plain ByteBuffer, not Forge's writer. */
    @Test
    void theBytesAreExactlyWhatTheDocsDescribe() throws Exception {
        var out = new ByteArrayOutputStream();
        string(out, "forge/chat-request/v1");
        string(out, "stories260K");
        out.write(1); // input form: messages
        out.write(ByteBuffer.allocate(4).putInt(3).array());
        out.write(1); // system
        text(out, "Be brief.");
        out.write(2); // user
        text(out, "Tell me a story about a café ☕");
        out.write(3); // assistant
        text(out, "");
        out.write(ByteBuffer.allocate(4 + 4 + 8).putInt(64).putInt(700).putLong(42).array());
        out.write(2);
        string(out, "\n\n");
        string(out, "END");
        assertArrayEquals(out.toByteArray(), chat().bytes());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()), chat().digest());
    }

    @Test
    void aTextPromptIsItsOwnForm() throws Exception {
        var out = new ByteArrayOutputStream();
        string(out, "forge/chat-request/v1");
        string(out, "");
        out.write(2); // input form: text
        text(out, "Once upon a time");
        out.write(ByteBuffer.allocate(4 + 4 + 8).putInt(20).putInt(0).putLong(0).array());
        out.write(0);
        var request = ChatRequest.text("", "Once upon a time", new Replay(20, 0, 0, List.of()));
        assertArrayEquals(out.toByteArray(), request.bytes());
        var asChat = ChatRequest.chat("", List.of(new ChatRequest.Message(ChatRequest.Role.USER, "Once upon a time")),
                new Replay(20, 0, 0, List.of()));
        assertFalse(Arrays.equals(request.digest(), asChat.digest()), "a text and a one-message chat run differently");
    }

    @Test
    void aRequestComesBackFromItsBytes() {
        assertEquals(chat(), ChatRequest.read(chat().bytes()));
        var text = ChatRequest.text("m", "x", REPLAY);
        assertEquals(text, ChatRequest.read(text.bytes()));
    }

    @Test
    void aContentLongerThanAStringFieldFits() {
        String big = "é".repeat(100_000); // 200,000 UTF-8 bytes, over the 64 KB of a string field
        var request = ChatRequest.chat("m", List.of(new ChatRequest.Message(ChatRequest.Role.USER, big)), REPLAY);
        assertEquals(request, ChatRequest.read(request.bytes()));
        String tooBig = "a".repeat(ChatRequest.MAX_TEXT_BYTES / 2 + 1);
        var two = List.of(new ChatRequest.Message(ChatRequest.Role.USER, tooBig),
                new ChatRequest.Message(ChatRequest.Role.USER, tooBig));
        assertEquals(WorkException.Code.INVALID_FIELD,
                assertThrows(WorkException.class, () -> ChatRequest.chat("m", two, REPLAY)).code());
    }

    @Test
    void readingIsStrict() {
        byte[] good = chat().bytes();
        malformed(Arrays.copyOf(good, good.length + 1));
        malformed(Arrays.copyOf(good, good.length - 1));
        byte[] otherTag = good.clone();
        otherTag[2 + "forge/chat-request/v".length()] = '2';
        malformed(otherTag);
        int form = 2 + 21 + 2 + "stories260K".length();
        malformed(with(good, form, 3));
        malformed(with(good, form + 4, 0)); // a message count of 0
        malformed(with(good, form + 5, 4)); // the first message's role: no role 4
        byte[] hugeLength = good.clone();
        hugeLength[form + 6] = (byte) 0xFF; // the first content's length: over 4 GB, as unsigned
        malformed(hugeLength);
        byte[] badUtf8 = good.clone();
        badUtf8[form + 10] = (byte) 0xC0; // "Be brief." becomes an overlong sequence
        malformed(badUtf8);
        malformed(WorkFixtures.signedOrder().order().signedBytes());
    }

    @Test
    void anUnpairedSurrogateHasNoCanonicalBytes() {
        var message = new ChatRequest.Message(ChatRequest.Role.USER, "half \uD83D a smile");
        assertEquals(WorkException.Code.INVALID_FIELD,
                assertThrows(WorkException.class, () -> ChatRequest.chat("m", List.of(message), REPLAY)).code());
        var halfStop = new Replay(10, 0, 0, List.of("\uDE00"));
        var fine = List.of(new ChatRequest.Message(ChatRequest.Role.USER, "hi"));
        assertEquals(WorkException.Code.INVALID_FIELD,
                assertThrows(WorkException.class, () -> ChatRequest.chat("m", fine, halfStop)).code());
    }

    @Test
    void anOrderMustOrderExactlyThisRequest() {
        ChatRequest request = chat();
        assertDoesNotThrow(() -> request.requireOrderedBy(order(request.digest(), "stories260K", REPLAY, WorkKind.INFERENCE_CHAT)));
        assertEquals(request, ChatRequest.orderedBy(order(request.digest(), "stories260K", REPLAY, WorkKind.INFERENCE_CHAT),
                request.bytes()));
        assertEquals(WorkException.Code.INPUT_MISMATCH, refusal(request,
                order(Sha256.hashText("another"), "stories260K", REPLAY, WorkKind.INFERENCE_CHAT)));
        assertEquals(WorkException.Code.MODEL_MISMATCH, refusal(request,
                order(request.digest(), "other", REPLAY, WorkKind.INFERENCE_CHAT)));
        assertEquals(WorkException.Code.REPLAY_MISMATCH, refusal(request,
                order(request.digest(), "stories260K", new Replay(64, 700, 43, REPLAY.stop()), WorkKind.INFERENCE_CHAT)));
        assertEquals(WorkException.Code.INVALID_FIELD, refusal(request,
                order(request.digest(), "stories260K", REPLAY, WorkKind.EVAL)));
    }

    @Test
    void temperaturesConvertToThousandthsWithoutRounding() {
        assertEquals(700, Replay.temperatureMilli(0.7));
        assertEquals(700, Replay.temperatureMilli(0.7f));
        assertEquals(1, Replay.temperatureMilli(1e-3));
        assertEquals(2_000, Replay.temperatureMilli(2.0));
        assertEquals(0, Replay.temperatureMilli(0.0));
        for (double refused : new double[] {0.0005, 0.7000001, 2.001, -0.001, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(WorkException.class, () -> Replay.temperatureMilli(refused), "temperature " + refused);
        }
        for (int milli = 0; milli <= Replay.MAX_TEMPERATURE_MILLI; milli++) {
            assertEquals(milli, Replay.temperatureMilli(milli / 1000.0), "double " + milli);
            float asFloat = new Replay(1, milli, 0, List.of()).temperature();
            assertEquals(milli, Replay.temperatureMilli(asFloat), "float " + milli);
            assertEquals(Float.parseFloat(java.math.BigDecimal.valueOf(milli, 3).toPlainString()), asFloat,
                    "the float the engine runs is the one nearest the decimal");
        }
    }

    private static WorkOrder order(byte[] inputDigest, String model, Replay replay, WorkKind kind) {
        return new WorkOrder("alice", "bob", kind, model, Sha256.hashText("model"), "", inputDigest, replay, 5_000, 0,
                new byte[WorkOrder.NONCE_SIZE], "node-a", WorkFixtures.T0 + 60_000, WorkOrder.Signer.BUYER);
    }

    private static WorkException.Code refusal(ChatRequest request, WorkOrder order) {
        return assertThrows(WorkException.class, () -> request.requireOrderedBy(order)).code();
    }

    private static void malformed(byte[] bytes) {
        assertEquals(WorkException.Code.MALFORMED, assertThrows(WorkException.class, () -> ChatRequest.read(bytes)).code());
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    private static void text(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
