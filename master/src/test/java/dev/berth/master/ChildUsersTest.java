package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which user a pool's and a tenant group's children run as, from a password file of the test's own. */
class ChildUsersTest {

    @TempDir
    Path dir;

    private HostConfig config(String master, String acme) {
        return ConfigLoader.parse(dir.resolve("berth.yaml"), """
                master: {%s}
                groups:
                  acme:   {addresses: [10.77.0.1]%s}
                  globex: {addresses: [10.77.0.2]}
                services:
                  - {name: web, kind: http, listen: ["0.0.0.0:80"], groups: [acme, globex]}
                """.formatted(master, acme), Set.of("http"));
    }

    private ChildUsers users(boolean root) throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, """
                root:x:0:0:root:/root:/bin/bash
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                bt-acme:x:990:990::/nonexistent:/usr/sbin/nologin
                """);
        return new ChildUsers(passwd, root);
    }

    @Test
    void aGroupsWorkersRunAsItsUserAndTheOthersAsMasterUser() throws Exception {
        ChildUsers users = users(true);
        users.update(config("user: nobody", ", user: bt-acme"));

        assertThat(users.of("web@acme")).map(UnixUser::uid).contains(990);
        assertThat(users.of("web@globex")).map(UnixUser::uid).contains(65534);
        assertThat(users.of("web")).map(UnixUser::uid).contains(65534);
        assertThat(users.mixed()).isTrue();
    }

    @Test
    void aGroupNeverRunsAsRoot() throws Exception {
        ChildUsers users = users(true);

        assertThatThrownBy(() -> users.update(config("", "")))
                .isInstanceOf(MasterException.class).hasMessageContaining("group acme: its workers never run as root");
        assertThatThrownBy(() -> users.update(config("", ", user: root")))
                .isInstanceOf(MasterException.class).hasMessageContaining("is root");
    }

    @Test
    void aMasterThatIsNotRootKeepsEveryChildAsItself() throws Exception {
        ChildUsers users = users(false);
        users.update(config("user: nobody", ", user: bt-acme"));

        assertThat(users.of("web@acme")).isEmpty();
        assertThat(users.mixed()).isFalse();
        assertThat(users.groupUids(config("", ", user: bt-acme"))).isEqualTo(Map.of("acme", 990));
    }
}
