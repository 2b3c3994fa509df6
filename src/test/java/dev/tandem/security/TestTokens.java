package dev.tandem.security;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Real RS256-signed JWTs for the tests, from an RSA key pair made at test time (no key is committed).
 * The pair lives in {@value #DIR} as PEM files, made on first use and kept: the test and the
 * application under test read the same files, whatever class loader or JVM (failsafe) they run in.
 * The application gets the public key's file as {@code mp.jwt.verify.publickey.location} and
 * {@link #ISSUER} as {@code mp.jwt.verify.issuer}.
 */
public final class TestTokens {

    /** Where the key pair is kept. */
    public static final String DIR = "target/test-jwt";

    /** The issuer the application is configured to expect. */
    public static final String ISSUER = "https://issuer.tandem.test";

    private static final Path PRIVATE = Path.of(DIR, "private.pem");
    private static final Path PUBLIC = Path.of(DIR, "public.pem");

    private TestTokens() {
    }

    /** @return the absolute path of the public key (PEM, X.509 SubjectPublicKeyInfo), made if missing */
    public static synchronized Path publicKeyFile() {
        if (!Files.exists(PUBLIC) || !Files.exists(PRIVATE)) {
            KeyPair pair = newPair();
            write(PRIVATE, "PRIVATE KEY", pair.getPrivate().getEncoded());
            write(PUBLIC, "PUBLIC KEY", pair.getPublic().getEncoded());
        }
        return PUBLIC.toAbsolutePath();
    }

    /**
     * @param groups the roles, e.g. {@code reader}
     * @return a token valid for an hour, by {@link #ISSUER}, signed with the application's key
     */
    public static String valid(String... groups) {
        return sign(ISSUER, Instant.now().plusSeconds(3600), privateKey(), groups);
    }

    /** @return a token that expired ten minutes ago (beyond SmallRye's 60 s clock skew) */
    public static String expired(String... groups) {
        return sign(ISSUER, Instant.now().minusSeconds(600), privateKey(), groups);
    }

    /** @return a token of another issuer, otherwise valid */
    public static String wrongIssuer(String... groups) {
        return sign("https://someone-else.example", Instant.now().plusSeconds(3600), privateKey(), groups);
    }

    /** @return a token signed with another key, otherwise valid */
    public static String badSignature(String... groups) {
        return sign(ISSUER, Instant.now().plusSeconds(3600), newPair().getPrivate(), groups);
    }

    /** @return {@code Bearer <token>}, the value of an {@code Authorization} header */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String sign(String issuer, Instant expires, PrivateKey key, String... groups) {
        return Jwt.issuer(issuer)
                .subject("test-user")
                .groups(Set.of(groups))
                .issuedAt(expires.minusSeconds(3600))
                .expiresAt(expires)
                .sign(key);
    }

    private static PrivateKey privateKey() {
        publicKeyFile();
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(read(PRIVATE)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the public key, as the application reads it */
    static PublicKey publicKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(read(publicKeyFile())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String type, byte[] der) {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "key", ".tmp");
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
