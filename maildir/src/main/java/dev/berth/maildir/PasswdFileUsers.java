package dev.berth.maildir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.lang.System.Logger.Level;

/** Users parsed from a Dovecot passwd-file; see {@link Users}. Immutable, thread-safe. */
final class PasswdFileUsers implements Users {

    private static final System.Logger LOG = System.getLogger(PasswdFileUsers.class.getName());

    private record Entry(MailUser user, PasswordHash password) {
    }

    private final Map<String, Entry> byAddress;
    private final Set<String> domains;
    /** Verified for unknown logins, so they take as long as known ones: the costliest scheme in the file. */
    private final PasswordHash decoy;
    /** Bounds the memory (and CPU) of concurrent verifications. */
    private final HashAdmission admission;

    private PasswdFileUsers(Map<String, Entry> byAddress, Set<String> domains, PasswordHash decoy, HashAdmission admission) {
        this.byAddress = Map.copyOf(byAddress);
        this.domains = Set.copyOf(domains);
        this.decoy = decoy;
        this.admission = admission;
    }

    static Users parse(Path file, List<String> lines) {
        return parse(file, lines, HashAdmission.forThisProcess());
    }

    /**
     * Parses with the given admission; logs every user whose hash can never be checked within
     * it (their logins are {@link Authentication.Busy}).
     */
    static Users parse(Path file, List<String> lines, HashAdmission admission) {
        Map<String, Entry> users = new HashMap<>();
        Set<String> domains = new HashSet<>();
        PasswordHash decoy = new PasswordHash.Plain(new byte[0]);
        Map<String, Integer> bareLines = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Entry e = entry(file, i + 1, line);
            if (users.putIfAbsent(e.user().address(), e) != null) {
                throw new UsersFileException(file, i + 1, "user " + e.user().address() + " appears twice");
            }
            domains.add(e.user().domain());
            decoy = cost(e.password()) > cost(decoy) ? e.password() : decoy;
            if (e.user().domain().isEmpty()) {
                bareLines.put(e.user().name(), i + 1);
            }
        }
        for (Map.Entry<String, Integer> bare : bareLines.entrySet()) {
            if (domains.contains(bare.getKey())) {
                throw new UsersFileException(file, bare.getValue(), "user " + bare.getKey()
                        + " has no domain, so its mailbox would be the directory of domain " + bare.getKey() + "; rename it");
            }
        }
        users.values().stream().filter(e -> !admission.fits(e.password().memory())).forEach(e -> LOG.log(Level.ERROR,
                file + ": the hash of " + e.user().address() + " needs " + (e.password().memory() >> 20) + " MiB per check, more than"
                + " this process lets one check use (" + (admission.budget() >> 20) + " MiB, 3/4 of its heap): its logins fail"
                + " for now; give the pool more heap (-Xmx) or rehash with less memory"));
        return new PasswdFileUsers(users, domains, decoy, admission);
    }

    /** A rough order of verification cost, to pick the decoy. */
    private static int cost(PasswordHash hash) {
        return switch (hash) {
            case PasswordHash.Plain p -> 0;
            case PasswordHash.Digest d -> 1;
            case PasswordHash.Crypt c -> 2;
            case PasswordHash.Bcrypt b -> 3;
            case PasswordHash.Argon2 a -> 4;
        };
    }

    private static Entry entry(Path file, int line, String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new UsersFileException(file, line, "expected user@domain:{SCHEME}hash, found no ':'");
        }
        MailUser user;
        try {
            user = MailUser.of(text.substring(0, colon));
        } catch (IllegalArgumentException e) {
            throw new UsersFileException(file, line, "invalid user '" + text.substring(0, colon) + "': " + e.getMessage());
        }
        int end = text.indexOf(':', colon + 1);
        String password = end < 0 ? text.substring(colon + 1) : text.substring(colon + 1, end);
        try {
            return new Entry(user, PasswordHash.parse(password));
        } catch (IllegalArgumentException e) {
            throw new UsersFileException(file, line, "user " + user.address() + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<MailUser> find(String address) {
        if (address == null) {
            return Optional.empty();
        }
        return entry(address).map(Entry::user);
    }

    private Optional<Entry> entry(String address) {
        try {
            return Optional.ofNullable(byAddress.get(MailUser.of(address).address()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Authentication authenticate(String login, String password) {
        if (login == null || password == null) {
            return new Authentication.Refused();
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        Optional<Entry> entry = entry(login);
        PasswordHash hash = entry.map(Entry::password).orElse(decoy);
        if (hash instanceof PasswordHash.Plain) {
            return entry.isPresent() && hash.matches(secret) ? new Authentication.Accepted(entry.get().user()) : new Authentication.Refused();
        }
        Optional<HashAdmission.Permit> permit = admission.admit(hash.memory());
        if (permit.isEmpty()) {
            return new Authentication.Busy();
        }
        try (HashAdmission.Permit held = permit.get()) {
            boolean right = hash.matches(secret);
            return entry.isPresent() && right ? new Authentication.Accepted(entry.get().user()) : new Authentication.Refused();
        }
    }

    /** The hash verified for unknown logins; for tests. */
    PasswordHash decoy() {
        return decoy;
    }

    @Override
    public boolean hasDomain(String domain) {
        return domain != null && domains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
