package dev.berth.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsersTest {

    private static final Path FILE = Path.of("users.txt");

    /** Produced by doveadm pw -p secret (Dovecot 2.3) and python3 crypt (libxcrypt). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{PLAIN}secret",
        "{CLEARTEXT}secret",
        "{SHA512-CRYPT}$6$6fM6Xhxd9dvozQMR$bA9bvk.wfPK8.6pkrqLKeSd7Zh76ShwMXoXXOXxp6KMyRrFQPMZ/kCXepBlp6w1zhJBEYBF358WmlV88zZSm3.",
        "{SHA512-CRYPT}$6$rounds=10000$abcdefgh$dtkgtX8ow6kub/Iulo6m6YRiWBlfmJEeDmTXbQPwlPu6qBjkZV2Ix8CeH0sE3NMp3Sq63bHshmKLBUGe7mWYy/",
        "{SHA256-CRYPT}$5$Y8njwYD772hMHCE6$TQShDfZmc7sqUohE/wvjqgkHCUxpLGQd3CRJKe85g3/",
        "{MD5-CRYPT}$1$MPCT/Fhs$JMiHgX0slEx8gamaCXs0G0",
        "{BLF-CRYPT}$2y$05$yi71m/swEfH4b5NFdXp98uPJD9Rt5s/QmIzDJVwvaJ6gV1.WxxpWa",
        "{BLF-CRYPT}$2b$04$FmsadPOEYoQ1z7ogmVrrVOlFG37LArGCu/nF4qg.BJgrJsjY57sdK",
        "{BLF-CRYPT}$2a$04$mRYqheaxTUg/ynLNIbDXiOcJhp73JQI55Ph81bnS2OjT8AUBv2.oC",
        "{CRYPT}$2y$05$apDBUqMLtuM87qhK1nTv4OLp1C9u5mqTKMYk8z8NpPMd375tBl/yi",
        "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$oQbPaDlAKa1llUgICkJ2PQ$jnpNgRg9Q8utFuf29UKVCTpA4GQPFy7s6FzQksr7b4M",
        "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$20d8VNbpHqeYXTIiLeDM9A$GWrCFz+6xgtRz/bojTnYXM/qMDInVOfZrKq5HNYHhSE",
        "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=",
        "{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=",
        "{SHA256}2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
        "{SHA512}vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg==",
        "{SSHA}Vl9bckFWUjYt58Z9dyYlSTCJpZumIgR8",
        "{SSHA256}cJY5FVQSQ0S7NE2Lt7EUiDPDgs6jcQr8grZC65qQjmPx5Ruv",
        "{SSHA512}88gpeSlqAwFlzNcYKS2QQBLnP6vQkQcbC0J0amPCs6b1Xq54sF8xOWUeLKmbYv+T6VsCI/puHdbDo44WQg9FfU955GI=",
    })
    void everySchemeAcceptsTheRightPasswordAndRefusesAWrongOne(String hash) {
        Users users = Users.parse(FILE, List.of("alice@example.test:" + hash + "::::::"));
        assertThat(users.authenticate("alice@example.test", "secret")).isEqualTo(new Authentication.Accepted(new MailUser("alice", "example.test")));
        assertThat(users.authenticate("alice@example.test", "wrong")).isEqualTo(new Authentication.Refused());
        assertThat(users.authenticate("alice@example.test", "")).isEqualTo(new Authentication.Refused());
    }

    @Test
    void domainIsCaseInsensitiveButTheNameIsNot() {
        Users users = Users.parse(FILE, List.of("Alice@Example.TEST:{PLAIN}pw"));
        assertThat(users.find("Alice@example.test")).contains(new MailUser("Alice", "example.test"));
        assertThat(users.find("alice@example.test")).isEmpty();
        assertThat(users.authenticate("Alice@EXAMPLE.test", "pw")).isInstanceOf(Authentication.Accepted.class);
        assertThat(users.hasDomain("EXAMPLE.test")).isTrue();
        assertThat(users.hasDomain("other.test")).isFalse();
    }

    @Test
    void commentsBlankLinesAndDomainLessUsersAreRead() {
        Users users = Users.parse(FILE, List.of("# users", "", "   ", "bob:{PLAIN}pw:1000:1000::/home/bob::", "carol@x.test:{PLAIN}a:b"));
        assertThat(users.find("bob")).contains(new MailUser("bob", ""));
        assertThat(users.find("bob").orElseThrow().address()).isEqualTo("bob");
        assertThat(users.authenticate("carol@x.test", "a")).isInstanceOf(Authentication.Accepted.class);
        assertThat(users.authenticate("carol@x.test", "a:b")).isEqualTo(new Authentication.Refused());
        assertThat(users.hasDomain("")).isTrue();
        assertThat(users.find("nobody@x.test")).isEmpty();
        assertThat(users.find("@@")).isEmpty();
        assertThat(users.authenticate("nobody@x.test", "a")).isEqualTo(new Authentication.Refused());
    }

    @Test
    void unknownLoginsVerifyTheCostliestHashInTheFile() {
        Users users = Users.parse(FILE, List.of(
                "a@x.test:{PLAIN}pw",
                "b@x.test:{BLF-CRYPT}$2y$05$yi71m/swEfH4b5NFdXp98uPJD9Rt5s/QmIzDJVwvaJ6gV1.WxxpWa",
                "c@x.test:{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$20d8VNbpHqeYXTIiLeDM9A$GWrCFz+6xgtRz/bojTnYXM/qMDInVOfZrKq5HNYHhSE",
                "d@x.test:{SSHA}Vl9bckFWUjYt58Z9dyYlSTCJpZumIgR8"));
        assertThat(((PasswdFileUsers) users).decoy()).isInstanceOf(PasswordHash.Argon2.class);
        assertThat(users.authenticate("nobody@x.test", "secret")).isEqualTo(new Authentication.Refused());
        assertThat(((PasswdFileUsers) Users.parse(FILE, List.of())).decoy().matches(new byte[0])).isTrue();
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertError(List.of("# c", "alice@x.test:secret"), "users.txt:2: ", "no {SCHEME} prefix");
        assertError(List.of("alice@x.test"), "users.txt:1: ", "found no ':'");
        assertError(List.of("", "", "a@x.test:{MD4}abc"), "users.txt:3: ", "unknown password scheme {MD4}");
        assertError(List.of("a@x.test:{SHA512-CRYPT}$5$abc$def"), "users.txt:1: ", "malformed crypt hash");
        assertError(List.of("a@x.test:{BLF-CRYPT}$2y$05$short"), "users.txt:1: ", "malformed bcrypt hash");
        assertError(List.of("a@x.test:{ARGON2ID}$argon2i$v=19$m=65536,t=3,p=1$oQbPaDlAKa1llUgICkJ2PQ$jnpNgRg9Q8utFuf29UKVCTpA4GQPFy7s6FzQksr7b4M"),
                "users.txt:1: ", "malformed Argon2 hash");
        assertError(List.of("a@x.test:{ARGON2ID}$argon2id$v=19$m=99999999,t=3,p=1$oQbPaDlAKa1llUgICkJ2PQ$jnpNgRg9Q8utFuf29UKVCTpA4GQPFy7s6FzQksr7b4M"),
                "users.txt:1: ", "out of range");
        assertError(List.of("a@x.test:{PLAIN}x", "A@X.TEST:{PLAIN}y", "a@X.test:{PLAIN}z"), "users.txt:3: ", "appears twice");
        assertError(List.of("@x.test:{PLAIN}x"), "users.txt:1: ", "invalid user");
        assertError(List.of("a/b@x.test:{PLAIN}x"), "users.txt:1: ", "invalid user");
        assertError(List.of("a@..:{PLAIN}x"), "users.txt:1: ", "invalid user");
        assertError(List.of("a@x.test:{SHA256}c2hvcnQ="), "users.txt:1: ", "SHA-256 digest has 5 bytes; expected 32");
        assertError(List.of("a@x.test:{SSHA}!!"), "users.txt:1: ", "not base64");
        assertError(List.of("a@example.test:{PLAIN}x", "example.test:{PLAIN}x"), "users.txt:2: ", "directory of domain example.test");
    }

    private static void assertError(List<String> lines, String location, String problem) {
        assertThatThrownBy(() -> Users.parse(FILE, lines))
                .isInstanceOf(UsersFileException.class)
                .hasMessageStartingWith(location)
                .hasMessageContaining(problem);
    }

    @Test
    void loadReadsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.txt");
        Files.writeString(file, "alice@example.test:{PLAIN}secret\r\nbob@example.test:{PLAIN}pw\r\n");
        Users users = Users.load(file);
        assertThat(users.authenticate("bob@example.test", "pw")).isInstanceOf(Authentication.Accepted.class);
        assertThat(users.authenticate("alice@example.test", "secret")).isInstanceOf(Authentication.Accepted.class);
    }
}
