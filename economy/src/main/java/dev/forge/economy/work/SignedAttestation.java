package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import java.util.Arrays;

/** An attestation with the provider's signature; its digest links the provider's chain. */
public record SignedAttestation(Attestation attestation, byte[] signature) {
    public SignedAttestation {
        WorkException.require(attestation != null, "attestation is required");
        signature = Bytes.exact(signature, Ed25519.SIGNATURE_SIZE, "attestation signature");
    }

    public static SignedAttestation sign(Attestation attestation, Ed25519.KeyPair provider) {
        return new SignedAttestation(attestation, provider.sign(attestation.signedBytes()));
    }

    public boolean verifies(Ed25519.PublicKey key) {
        return key != null && key.verify(attestation.signedBytes(), signature);
    }

    /** SHA-256 over the attestation's bytes and then its signature: the next one's previous digest. */
    public byte[] digest() {
        var digest = Sha256.digest();
        digest.update(attestation.signedBytes());
        digest.update(signature);
        return digest.digest();
    }

    public byte[] encode() {
        return attestation.write(new CanonicalWriter(576)).fixed(signature, Ed25519.SIGNATURE_SIZE).toByteArray();
    }

    public static SignedAttestation decode(byte[] bytes) {
        return Bytes.decode(bytes, "signed attestation", SignedAttestation::read);
    }

    static SignedAttestation read(CanonicalReader in) {
        return new SignedAttestation(Attestation.read(in), in.fixed(Ed25519.SIGNATURE_SIZE));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedAttestation s && attestation.equals(s.attestation)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return attestation.hashCode();
    }
}
