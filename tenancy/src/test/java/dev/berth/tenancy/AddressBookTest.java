package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.GroupConfig;
import dev.berth.posix.InterfaceAddress;
import dev.berth.posix.PosixException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth addr add/del on a host of map-backed interfaces and a clock moved by hand. */
class AddressBookTest {

    private static final List<GroupConfig> GROUPS = List.of(
            GroupConfig.of("acme", List.of("10.77.0.1"), Optional.empty()),
            GroupConfig.of("globex", List.of("10.77.0.2"), Optional.empty()));

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000);
    private final Map<InetAddress, InterfaceAddress> host = new LinkedHashMap<>();
    private final Interfaces interfaces = new Interfaces() {
        @Override
        public int index(String device) {
            if (!device.equals("eth0")) {
                throw new PosixException("if_nametoindex(" + device + ")", 19, "No such device");
            }
            return 2;
        }

        @Override
        public void add(InterfaceAddress address) {
            host.put(address.address(), address);
        }

        @Override
        public void remove(InterfaceAddress address) {
            host.remove(address.address());
        }

        @Override
        public Optional<InterfaceAddress> find(InetAddress address) {
            return Optional.ofNullable(host.get(address));
        }
    };

    private AddressBook book() {
        AddressBook book = new AddressBook(dir.resolve("addresses"), interfaces, now::get);
        book.load(GROUPS);
        return book;
    }

    private static InetAddress ip(String text) {
        return InetAddress.ofLiteral(text);
    }

    @Test
    void addingPutsTheAddressOnItsInterfaceAndClaimsIt() {
        AddressBook book = book();

        Claim claim = book.add(ip("10.77.0.9"), 24, "eth0", "acme", false);

        assertThat(host).containsKey(ip("10.77.0.9"));
        assertThat(host.get(ip("10.77.0.9")).prefixLength()).isEqualTo(24);
        assertThat(book.table().owner(ip("10.77.0.9"))).contains("acme");
        assertThat(claim).isEqualTo(new Claim(ip("10.77.0.9"), "acme", "eth0", 1_000, Claim.Origin.RUNTIME, 0));
    }

    @Test
    void anotherGroupsAddressCannotBeStolenAndNothingChanges() {
        AddressBook book = book();

        assertThatThrownBy(() -> book.add(ip("10.77.0.2"), 24, "eth0", "acme", false))
                .isInstanceOf(TenancyException.class).hasMessageContaining("belongs to group globex");
        assertThat(host).isEmpty();
        assertThatThrownBy(() -> book.add(ip("10.77.0.9"), 24, "eth0", "initech", false))
                .isInstanceOf(TenancyException.class).hasMessageContaining("no group initech");
    }

    @Test
    void removingDrainsFirstAndTakesTheAddressOffWhenTheDrainIsOver() {
        AddressBook book = book();
        book.add(ip("10.77.0.9"), 24, "eth0", "acme", false);

        book.remove(ip("10.77.0.9"), 5_000);
        assertThat(book.table().owner(ip("10.77.0.9"))).isEmpty();
        assertThat(book.due()).isEmpty();
        assertThat(host).containsKey(ip("10.77.0.9"));

        now.addAndGet(5_000);
        assertThat(book.due()).extracting(Claim::address).containsExactly(ip("10.77.0.9"));
        assertThat(host).isEmpty();
        assertThat(book.table().claim(ip("10.77.0.9"))).isEmpty();
    }

    @Test
    void onlyPersistedClaimsSurviveAReload() throws Exception {
        AddressBook book = book();
        book.add(ip("10.77.0.8"), 24, "eth0", "acme", true);
        book.add(ip("10.77.0.9"), 24, "eth0", "globex", false);

        book.load(GROUPS);

        assertThat(book.table().owner(ip("10.77.0.8"))).contains("acme");
        assertThat(book.table().owner(ip("10.77.0.9"))).isEmpty();
        assertThat(Files.readString(dir.resolve("addresses"))).contains("10.77.0.8 acme eth0 1000");
        AddressBook restarted = book();
        assertThat(restarted.table().claim(ip("10.77.0.8"))).map(Claim::origin).contains(Claim.Origin.PERSISTED);
    }

    @Test
    void removingAPersistedClaimForgetsIt() throws Exception {
        AddressBook book = book();
        book.add(ip("10.77.0.8"), 24, "eth0", "acme", true);

        book.remove(ip("10.77.0.8"), 10);

        assertThat(Files.readString(dir.resolve("addresses"))).doesNotContain("10.77.0.8");
    }

    @Test
    void anUnclaimedAddressCannotBeRemoved() {
        assertThatThrownBy(() -> book().remove(ip("10.77.0.5"), 10))
                .isInstanceOf(TenancyException.class).hasMessage("10.77.0.5 is not claimed by any group");
    }
}
