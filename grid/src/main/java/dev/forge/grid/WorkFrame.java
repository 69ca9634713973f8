package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.SignedAttestation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One frame of the provider node's streamed answer to a {@link Vouch} ({@value #TAG}, field by
 * field in docs/grid.md): {@code accepted}, then {@code piece}s of text, then {@code delivered}
 * (the signed attestation and the whole output) or, at any point, {@code refused}. Frames are
 * numbered from 0 so a lost or reordered frame is seen, and name the order's digest so a frame
 * meant for another request is refused. Only {@code delivered} is signed (by the attestation):
 * a forged piece or refusal can only make the buyer's node fail over or void, never pay.
 *
 * @param text a piece's text, the delivered output, or a refusal's sentence; empty for accepted
 * @param detail the provider's node id (accepted), the refusal code (refused), empty otherwise
 * @param attestation the signed attestation's bytes (delivered), empty otherwise
 */
public record WorkFrame(byte[] orderDigest, int sequence, Kind kind, String detail, String text, byte[] attestation) {
    public static final String TAG = "forge/work-frame/v1";
    public static final int MAX_PIECE_BYTES = 16 * 1024;
    public static final int MAX_OUTPUT_BYTES = 900 * 1024;
    public static final int MAX_MESSAGE_BYTES = 512;
    public static final int MAX_ATTESTATION_BYTES = 16 * 1024;
    public static final int MAX_BYTES = MAX_OUTPUT_BYTES + MAX_ATTESTATION_BYTES + 1024;

    public enum Kind {
        ACCEPTED(1), PIECE(2), DELIVERED(3), REFUSED(4);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind ofCode(int code) {
            for (Kind kind : values()) if (kind.code == code) return kind;
            throw new IllegalArgumentException("unknown frame kind " + code);
        }
    }

    public WorkFrame {
        require(orderDigest != null && orderDigest.length == Sha256.SIZE, "order digest must be 32 bytes");
        orderDigest = orderDigest.clone();
        require(sequence >= 0, "sequence must be 0 or more");
        require(kind != null && detail != null && text != null && attestation != null, "every field is required");
        attestation = attestation.clone();
        int textBytes = text.getBytes(StandardCharsets.UTF_8).length;
        switch (kind) {
            case ACCEPTED -> require(detail.matches(NodeIdentity.PREFIX + "[0-9a-f]{40}") && text.isEmpty()
                    && attestation.length == 0, "accepted names the provider's node and nothing else");
            case PIECE -> require(detail.isEmpty() && textBytes <= MAX_PIECE_BYTES && attestation.length == 0,
                    "a piece is at most " + MAX_PIECE_BYTES + " bytes of text");
            case DELIVERED -> require(detail.isEmpty() && textBytes <= MAX_OUTPUT_BYTES && attestation.length > 0
                    && attestation.length <= MAX_ATTESTATION_BYTES, "delivered carries an attestation and the output");
            case REFUSED -> require(refusalCode(detail) && textBytes <= MAX_MESSAGE_BYTES && attestation.length == 0,
                    "refused carries a known code and a sentence of at most " + MAX_MESSAGE_BYTES + " bytes");
        }
    }

    public static WorkFrame accepted(byte[] orderDigest, int sequence, String providerNodeId) {
        return new WorkFrame(orderDigest, sequence, Kind.ACCEPTED, providerNodeId, "", new byte[0]);
    }

    public static WorkFrame piece(byte[] orderDigest, int sequence, String text) {
        return new WorkFrame(orderDigest, sequence, Kind.PIECE, "", text, new byte[0]);
    }

    public static WorkFrame delivered(byte[] orderDigest, int sequence, SignedAttestation attestation, String output) {
        return new WorkFrame(orderDigest, sequence, Kind.DELIVERED, "", output, attestation.encode());
    }

    /** A refusal; its sentence is cut to the bound at a character boundary. */
    public static WorkFrame refused(byte[] orderDigest, int sequence, RemoteRefusal refusal, String message) {
        return new WorkFrame(orderDigest, sequence, Kind.REFUSED, refusal.code(), cut(message), new byte[0]);
    }

    /** The delivered attestation, decoded. */
    public SignedAttestation signedAttestation() {
        require(kind == Kind.DELIVERED, "only delivered carries an attestation");
        return SignedAttestation.decode(attestation);
    }

    public RemoteRefusal refusal() {
        require(kind == Kind.REFUSED, "only refused carries a code");
        return RemoteRefusal.ofCode(detail);
    }

    public byte[] encode() {
        return new CanonicalWriter(64 + text.length() + attestation.length).string(TAG).fixed(orderDigest, Sha256.SIZE)
                .i32(sequence).u8(kind.code).string(detail).text(text, MAX_OUTPUT_BYTES).block(attestation).toByteArray();
    }

    /** Parses a frame; anything but canonical bytes within the bounds is {@link RemoteRefusal#MALFORMED}. */
    public static WorkFrame decode(byte[] bytes) {
        RemoteWorkException.require(bytes != null && bytes.length <= MAX_BYTES, RemoteRefusal.MALFORMED,
                "a frame is at most " + MAX_BYTES + " bytes");
        try {
            var in = new CanonicalReader(bytes);
            RemoteWorkException.require(TAG.equals(in.string()), RemoteRefusal.MALFORMED, "not a " + TAG);
            byte[] digest = in.fixed(Sha256.SIZE);
            int sequence = in.i32();
            Kind kind = Kind.ofCode(in.u8());
            String detail = in.string();
            String text = in.text(MAX_OUTPUT_BYTES);
            byte[] attestation = in.block();
            in.expectEnd();
            return new WorkFrame(digest, sequence, kind, detail, text, attestation);
        } catch (MalformedEncodingException | IllegalArgumentException e) {
            throw new RemoteWorkException(RemoteRefusal.MALFORMED, "frame bytes are malformed: " + e.getMessage());
        }
    }

    private static boolean refusalCode(String code) {
        try {
            RemoteRefusal.ofCode(code);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static String cut(String message) {
        String text = message == null ? "" : message;
        while (text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            text = text.substring(0, text.offsetByCodePoints(0, text.codePointCount(0, text.length()) - 1));
        }
        return text;
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }

    @Override public byte[] orderDigest() { return orderDigest.clone(); }

    @Override public byte[] attestation() { return attestation.clone(); }

    @Override
    public boolean equals(Object other) {
        return other instanceof WorkFrame f && Arrays.equals(encode(), f.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(orderDigest) * 31 + sequence;
    }
}
