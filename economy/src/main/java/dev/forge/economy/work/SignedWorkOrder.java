package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.util.Arrays;

/** A work order with the signature over its bytes; its digest is what an attestation names. */
public record SignedWorkOrder(WorkOrder order, byte[] signature) {
    public SignedWorkOrder {
        WorkException.require(order != null, "order is required");
        signature = Bytes.exact(signature, Ed25519.SIGNATURE_SIZE, "order signature");
    }

    public static SignedWorkOrder sign(WorkOrder order, Ed25519.KeyPair signer) {
        return new SignedWorkOrder(order, signer.sign(order.signedBytes()));
    }

    public boolean verifies(Ed25519.PublicKey key) {
        return key != null && key.verify(order.signedBytes(), signature);
    }

    /** SHA-256 over the order's bytes and then its signature. */
    public byte[] digest() {
        var digest = Sha256.digest();
        digest.update(order.signedBytes());
        digest.update(signature);
        return digest.digest();
    }

    public byte[] encode() {
        return order.write(new CanonicalWriter(320)).fixed(signature, Ed25519.SIGNATURE_SIZE).toByteArray();
    }

    public static SignedWorkOrder decode(byte[] bytes) {
        return Bytes.decode(bytes, "signed work order", SignedWorkOrder::read);
    }

    static SignedWorkOrder read(CanonicalReader in) {
        return new SignedWorkOrder(WorkOrder.read(in), in.fixed(Ed25519.SIGNATURE_SIZE));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedWorkOrder s && order.equals(s.order) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return order.hashCode();
    }
}
