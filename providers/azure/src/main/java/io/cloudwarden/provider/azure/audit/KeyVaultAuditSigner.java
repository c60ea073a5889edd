package io.cloudwarden.provider.azure.audit;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.audit.AuditSigner;
import io.cloudwarden.engine.audit.AuditSigningException;
import io.cloudwarden.engine.audit.SignatureAlgorithms;
import io.cloudwarden.engine.audit.TrustedKey;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs audit digests with an Azure Key Vault EC P-256 key: the data-plane {@code POST {kid}/sign} with
 * {@code alg ES256} over the SHA-256 of the digest's signed bytes (Key Vault signs digests, not messages), sent
 * through the provider's Key Vault pipeline like its other data-plane calls. Key Vault returns the JWS signature:
 * raw {@code r||s}, base64url. Verification reads the key's JWK ({@code GET {kid}}: {@code crv P-256}, {@code x},
 * {@code y}) and checks locally. The key is named by its full key URL with version
 * ({@code https://<vault>.vault.azure.net/keys/<name>/<version>}), so a rotated key is a different trusted key.
 */
public final class KeyVaultAuditSigner implements AuditSigner {
    public static final String API = "7.4";
    private static final Pattern KID = Pattern.compile(
            "^https://([a-z0-9-]+)\\.(vault\\.azure\\.net|vault\\.azure\\.cn|vault\\.usgovcloudapi\\.net|managedhsm\\.azure\\.net)"
                    + "/keys/([A-Za-z0-9-]+)/([0-9a-f]{32})$");

    private final AzureSession session;
    private final String kid;
    private final String url;

    private KeyVaultAuditSigner(AzureSession session, String kid, String url) {
        this.session = session;
        this.kid = kid;
        this.url = url;
    }

    /** A signer for {@code ref} when it is a versioned Key Vault key URL; empty otherwise. */
    public static Optional<KeyVaultAuditSigner> of(String ref, AzureSession session) {
        Matcher m = KID.matcher(ref);
        if (!m.matches()) {
            return Optional.empty();
        }
        String base = session.vaultBaseUrl(m.group(1), "https://" + m.group(1) + "." + m.group(2));
        return Optional.of(new KeyVaultAuditSigner(session, ref, base + "/keys/" + m.group(3) + "/" + m.group(4)));
    }

    public static boolean matches(String ref) {
        return KID.matcher(ref).matches();
    }

    @Override
    public String keyId() {
        return kid;
    }

    @Override
    public String algorithm() {
        return SignatureAlgorithms.ES256;
    }

    @Override
    public byte[] sign(byte[] message) {
        ObjectNode body = Json.nodes().objectNode();
        body.put("alg", "ES256");
        body.put("value", Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(message)));
        JsonNode r;
        try {
            r = session.vault().writeUrl(HttpMethod.POST, url + "/sign?api-version=" + API, body,
                    "Microsoft.KeyVault/vaults/keys/sign/action");
        } catch (ProviderException e) {
            throw new AuditSigningException(kid + ": Key Vault sign failed: " + e.getMessage(), e);
        }
        String value = r.path("value").asText("");
        try {
            byte[] sig = Base64.getUrlDecoder().decode(value);
            if (sig.length != 64) {
                throw new IllegalArgumentException(sig.length + " bytes");
            }
            return sig;
        } catch (IllegalArgumentException e) {
            throw new AuditSigningException(kid + ": Key Vault sign returned no ES256 signature (expected 64 bytes of"
                    + " base64url in 'value': " + e.getMessage() + ")");
        }
    }

    /** The trusted key: the key's JWK from Key Vault, which must be an EC P-256 key. */
    public TrustedKey trustedKey() {
        JsonNode r;
        try {
            r = session.vault().get(url, API, "Microsoft.KeyVault/vaults/keys/read").orElseThrow(() ->
                    new AuditSigningException(kid + ": Key Vault has no such key version"));
        } catch (ProviderException e) {
            throw new AuditSigningException(kid + ": Key Vault get key failed: " + e.getMessage(), e);
        }
        JsonNode jwk = r.path("key");
        String kty = jwk.path("kty").asText("");
        if (!(kty.equals("EC") || kty.equals("EC-HSM")) || !"P-256".equals(jwk.path("crv").asText(""))) {
            throw new AuditSigningException(kid + ": expected an EC key on curve P-256 (ES256) but Key Vault says kty "
                    + kty + ", crv " + jwk.path("crv").asText("(none)"));
        }
        try {
            BigInteger x = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("x").asText()));
            BigInteger y = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("y").asText()));
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
            return new TrustedKey(kid, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuditSigningException(kid + ": the key's JWK x/y are not a P-256 point (" + e.getMessage() + ")",
                    e);
        }
    }

    private static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
