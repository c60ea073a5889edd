package io.cloudwarden.engine.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * The local signer: an Ed25519 private key in a PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}), as
 * {@code openssl genpkey -algorithm ed25519} writes it, with JDK crypto only. The public key is a separate X.509 PEM
 * ({@code -----BEGIN PUBLIC KEY-----}, {@code openssl pkey -pubout}); {@code audit verify --key} takes either file.
 * The key id is {@code ed25519:} + the first 16 hex digits of the SHA-256 of the public key's DER encoding.
 */
public final class Ed25519KeyFile implements AuditSigner {
    private final Path file;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private Ed25519KeyFile(Path file, PrivateKey privateKey, PublicKey publicKey) {
        this.file = file;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Loads the private key file. */
    public static Ed25519KeyFile load(Path file) {
        byte[] der = pem(file, "PRIVATE KEY");
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Ed25519KeyFile(file, priv, publicOf(der, kf));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuditSigningException(file + ": not an Ed25519 PKCS#8 private key (" + e.getMessage() + ")", e);
        }
    }

    /** Writes a new key pair: {@code file} (private, owner-only where the file system allows) and {@code file.pub}. */
    public static Ed25519KeyFile generate(Path file) {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            byte[] priv = pemText("PRIVATE KEY", kp.getPrivate().getEncoded());
            Files.write(file, priv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions apply
            }
            Files.write(Path.of(file + ".pub"), pemText("PUBLIC KEY", kp.getPublic().getEncoded()));
            return new Ed25519KeyFile(file, kp.getPrivate(), kp.getPublic());
        } catch (IOException | GeneralSecurityException e) {
            throw new AuditSigningException(file + ": cannot create an Ed25519 key (" + e.getMessage() + ")", e);
        }
    }

    /** The trusted key from a private or public key PEM file. */
    public static TrustedKey trusted(Path file) {
        String text = read(file);
        if (text.contains("PRIVATE KEY")) {
            return load(file).trustedKey();
        }
        try {
            PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(
                    new X509EncodedKeySpec(pem(file, "PUBLIC KEY")));
            return new TrustedKey(keyIdOf(pub), pub);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuditSigningException(file + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    public TrustedKey trustedKey() {
        return new TrustedKey(keyId(), publicKey);
    }

    @Override
    public String keyId() {
        return keyIdOf(publicKey);
    }

    @Override
    public String algorithm() {
        return SignatureAlgorithms.ED25519;
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new AuditSigningException(file + ": cannot sign (" + e.getMessage() + ")", e);
        }
    }

    static String keyIdOf(PublicKey key) {
        return "ed25519:" + io.cloudwarden.model.Hashing.sha256Hex(key.getEncoded()).substring(0, 16);
    }

    /** The JDK derives no public key from a PKCS#8 Ed25519 key; the seed's public half is recomputed by signing. */
    private static PublicKey publicOf(byte[] pkcs8, KeyFactory kf) throws GeneralSecurityException {
        // PKCS#8 v2 (RFC 8410 OneAsymmetricKey) may carry the public key; v1, what openssl writes, does not. The JDK
        // has no API to derive it, so the key pair is rebuilt from the 32-byte seed with a fixed-seed generator.
        byte[] seed = java.util.Arrays.copyOfRange(pkcs8, 16, 48);
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(255, new FixedSeed(seed));
        KeyPair kp = g.generateKeyPair();
        if (!java.util.Arrays.equals(kp.getPrivate().getEncoded(), kf.generatePrivate(
                new PKCS8EncodedKeySpec(pkcs8)).getEncoded())) {
            throw new GeneralSecurityException("unexpected PKCS#8 layout");
        }
        return kp.getPublic();
    }

    /** A SecureRandom that returns a given seed once: how the JDK's Ed25519 generator draws its 32-byte seed. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }

    private static String read(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AuditSigningException(file + ": cannot read the key file (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] pem(Path file, String type) {
        String text = read(file);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new AuditSigningException(file + ": expected a PEM block " + begin);
        }
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }

    private static byte[] pemText(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
