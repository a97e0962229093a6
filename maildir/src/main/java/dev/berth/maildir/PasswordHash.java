package dev.berth.maildir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A stored password in one of Dovecot's schemes, validated when parsed. Immutable and
 * thread-safe; {@link #matches} is CPU-bound and may be slow.
 */
sealed interface PasswordHash {

    /** The schemes accepted, for error messages. */
    String ACCEPTED = "{PLAIN} {CLEARTEXT} {SHA512-CRYPT} {SHA256-CRYPT} {MD5-CRYPT} {BLF-CRYPT} {ARGON2ID} {ARGON2I} {CRYPT}"
            + " {SHA512} {SHA256} {SHA} {SSHA512} {SSHA256} {SSHA}";

    /** Whether {@code password} (UTF-8 bytes) is the one stored. */
    boolean matches(byte[] password);

    /** The heap one {@link #matches} needs at most, in bytes (Argon2's memory; a little for the rest). */
    default long memory() {
        return 64 * 1024;
    }

    /**
     * Parses {@code {SCHEME}hash}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static PasswordHash parse(String field) {
        int close = field.indexOf('}');
        if (!field.startsWith("{") || close < 0) {
            throw new IllegalArgumentException("the password has no {SCHEME} prefix; accepted: " + ACCEPTED);
        }
        String scheme = field.substring(1, close).toUpperCase(Locale.ROOT);
        String hash = field.substring(close + 1);
        return switch (scheme) {
            case "PLAIN", "CLEARTEXT" -> new Plain(hash.getBytes(StandardCharsets.UTF_8));
            case "SHA512-CRYPT" -> Crypt.of(hash, "$6$");
            case "SHA256-CRYPT" -> Crypt.of(hash, "$5$");
            case "MD5-CRYPT" -> Crypt.of(hash, "$1$");
            case "BLF-CRYPT" -> Bcrypt.of(hash);
            case "ARGON2ID" -> Argon2.of(hash, "argon2id");
            case "ARGON2I" -> Argon2.of(hash, "argon2i");
            case "CRYPT" -> hash.startsWith("$2") ? Bcrypt.of(hash) : Crypt.of(hash, null);
            case "SHA", "SHA1" -> Digest.of(hash, "SHA-1", false);
            case "SHA256" -> Digest.of(hash, "SHA-256", false);
            case "SHA512" -> Digest.of(hash, "SHA-512", false);
            case "SSHA" -> Digest.of(hash, "SHA-1", true);
            case "SSHA256" -> Digest.of(hash, "SHA-256", true);
            case "SSHA512" -> Digest.of(hash, "SHA-512", true);
            default -> throw new IllegalArgumentException("unknown password scheme {" + scheme + "}; accepted: " + ACCEPTED);
        };
    }

    /** {@code {PLAIN}}: compared in constant time. */
    record Plain(byte[] secret) implements PasswordHash {
        @Override
        public boolean matches(byte[] password) {
            return MessageDigest.isEqual(secret, password);
        }
    }

    /**
     * Plain digests {@code {SHA512}} and salted ones {@code {SSHA512}}: base64 (or hex) of the
     * digest of password + salt, followed by the salt.
     */
    record Digest(String algorithm, byte[] digest, byte[] salt) implements PasswordHash {
        private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

        static Digest of(String text, String algorithm, boolean salted) {
            int length = newDigest(algorithm).getDigestLength();
            byte[] raw;
            if (!salted && text.length() == 2 * length && HEX.matcher(text).matches()) {
                raw = java.util.HexFormat.of().parseHex(text);
            } else {
                try {
                    raw = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the " + algorithm + " digest is not base64: " + e.getMessage(), e);
                }
            }
            if (salted ? raw.length <= length : raw.length != length) {
                throw new IllegalArgumentException("the " + algorithm + " digest has " + raw.length + " bytes; expected "
                        + (salted ? "more than " : "") + length);
            }
            return new Digest(algorithm, Arrays.copyOf(raw, length), Arrays.copyOfRange(raw, length, raw.length));
        }

        private static MessageDigest newDigest(String algorithm) {
            try {
                return MessageDigest.getInstance(algorithm);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + algorithm, e);
            }
        }

        @Override
        public boolean matches(byte[] password) {
            MessageDigest md = newDigest(algorithm);
            md.update(password);
            md.update(salt);
            return MessageDigest.isEqual(md.digest(), digest);
        }
    }

    /** glibc crypt forms {@code $6$} (SHA-512), {@code $5$} (SHA-256) and {@code $1$} (MD5). */
    record Crypt(String hash) implements PasswordHash {
        private static final Pattern FORM = Pattern.compile("\\$([156])\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{22,86}");

        static Crypt of(String hash, String prefix) {
            Matcher m = FORM.matcher(hash);
            if (!m.matches() || (prefix != null && !hash.startsWith(prefix)) || (m.group(1).equals("1") && m.group(2) != null)) {
                throw new IllegalArgumentException("malformed crypt hash; expected " + (prefix == null ? "$6$, $5$, $1$ or $2y$" : prefix) + "salt$hash");
            }
            return new Crypt(hash);
        }

        @Override
        public boolean matches(byte[] password) {
            String computed = switch (hash.charAt(1)) {
                case '6' -> Sha2Crypt.sha512Crypt(password, hash);
                case '5' -> Sha2Crypt.sha256Crypt(password, hash);
                default -> Md5Crypt.md5Crypt(password, hash);
            };
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** bcrypt {@code $2y$}, {@code $2b$}, {@code $2a$}; passwords past 72 bytes are truncated, as OpenBSD does. */
    record Bcrypt(String hash) implements PasswordHash {
        private static final Pattern FORM = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./0-9A-Za-z]{53}");

        static Bcrypt of(String hash) {
            if (!FORM.matcher(hash).matches()) {
                throw new IllegalArgumentException("malformed bcrypt hash; expected $2y$NN$ and 53 characters");
            }
            return new Bcrypt(hash);
        }

        @Override
        public boolean matches(byte[] password) {
            return OpenBSDBCrypt.checkPassword(hash, password.length > 72 ? Arrays.copyOf(password, 72) : password);
        }
    }

    /** Argon2 in the PHC form {@code $argon2id$v=19$m=KiB,t=N,p=N$salt$hash} (unpadded base64). */
    record Argon2(int type, int version, int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash)
            implements PasswordHash {
        private static final Pattern FORM = Pattern.compile(
                "\\$(argon2id|argon2i)\\$v=(16|19)\\$m=([0-9]{1,8}),t=([0-9]{1,4}),p=([0-9]{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
        private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;

        static Argon2 of(String text, String expected) {
            Matcher m = FORM.matcher(text);
            if (!m.matches() || !m.group(1).equals(expected)) {
                throw new IllegalArgumentException("malformed Argon2 hash; expected $" + expected + "$v=19$m=..,t=..,p=..$salt$hash");
            }
            int memory = Integer.parseInt(m.group(3));
            int t = Integer.parseInt(m.group(4));
            int p = Integer.parseInt(m.group(5));
            if (t < 1 || p < 1 || memory < 8 * p || memory > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("Argon2 parameters out of range: m=" + memory + ",t=" + t + ",p=" + p);
            }
            try {
                byte[] salt = Base64.getDecoder().decode(m.group(6));
                byte[] hash = Base64.getDecoder().decode(m.group(7));
                int type = expected.equals("argon2id") ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i;
                int version = m.group(2).equals("19") ? Argon2Parameters.ARGON2_VERSION_13 : Argon2Parameters.ARGON2_VERSION_10;
                return new Argon2(type, version, memory, t, p, salt, hash);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Argon2 salt or hash is not base64: " + e.getMessage(), e);
            }
        }

        /** One 1 KiB block object per KiB of {@code m} (1056 bytes with its headers), and some. */
        @Override
        public long memory() {
            return memoryKiB * 1056L + 64 * 1024;
        }

        @Override
        public boolean matches(byte[] password) {
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKiB)
                    .withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
            byte[] out = new byte[hash.length];
            gen.generateBytes(password, out);
            return MessageDigest.isEqual(out, hash);
        }
    }
}
