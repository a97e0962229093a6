package dev.berth.mesh;

import java.nio.charset.StandardCharsets;

/**
 * Rendezvous (highest random weight) hashing: a key goes to the member with the highest
 * {@code mix(hash(key) ^ hash(member))}. When a member leaves, only its keys move, spread evenly
 * over the others; when it returns, exactly those keys come back. Stateless.
 */
final class Rendezvous {

    private Rendezvous() {
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, finished with a mixer so that close keys spread. */
    static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(hash);
    }

    /** The weight of a member for a key, both given as {@link #hash}es. */
    static long weight(long keyHash, long memberHash) {
        return mix(keyHash ^ memberHash);
    }

    /** MurmurHash3's 64-bit finaliser. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
