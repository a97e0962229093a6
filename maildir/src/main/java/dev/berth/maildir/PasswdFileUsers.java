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

/** Users parsed from a Dovecot passwd-file; see {@link Users}. Immutable, thread-safe. */
final class PasswdFileUsers implements Users {

    private record Entry(MailUser user, PasswordHash password) {
    }

    private final Map<String, Entry> byAddress;
    private final Set<String> domains;

    private PasswdFileUsers(Map<String, Entry> byAddress, Set<String> domains) {
        this.byAddress = Map.copyOf(byAddress);
        this.domains = Set.copyOf(domains);
    }

    static Users parse(Path file, List<String> lines) {
        Map<String, Entry> users = new HashMap<>();
        Set<String> domains = new HashSet<>();
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
        }
        return new PasswdFileUsers(users, domains);
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
    public Optional<MailUser> authenticate(String login, String password) {
        if (login == null || password == null) {
            return Optional.empty();
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        return entry(login).filter(e -> e.password().matches(secret)).map(Entry::user);
    }

    @Override
    public boolean hasDomain(String domain) {
        return domain != null && domains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
