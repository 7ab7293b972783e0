package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class HostHeaderTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("0.0.0.0", 9462);
    private static final InetSocketAddress NODE = new InetSocketAddress("10.1.2.3", 9462);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 9462);

    @Test
    void onTheWildcardAddressOnlyRealAddressLiteralsPass() {
        assertThat(HostHeader.allowed("10.9.8.7:9462", ANY)).isTrue();
        assertThat(HostHeader.allowed("[fd00::1]:9462", ANY)).isTrue();
        // names made of hex letters and dots are names: they need DNS, which an attacker controls
        assertThat(HostHeader.allowed("bad.cafe", ANY)).isFalse();
        assertThat(HostHeader.allowed("bad.cafe:9462", ANY)).isFalse();
        assertThat(HostHeader.allowed("dead.beef.cafe.face", ANY)).isFalse();
        assertThat(HostHeader.allowed("a", ANY)).isFalse();
        // forms some resolvers read as addresses, and malformed ones
        assertThat(HostHeader.allowed("127.1", ANY)).isFalse();
        assertThat(HostHeader.allowed("0x7f.0.0.1", ANY)).isFalse();
        assertThat(HostHeader.allowed("2130706433", ANY)).isFalse();
        assertThat(HostHeader.allowed("10.0.0.256", ANY)).isFalse();
        assertThat(HostHeader.allowed("10.0.0.1.", ANY)).isFalse();
        assertThat(HostHeader.allowed("fd00::1", ANY)).isFalse();
        assertThat(HostHeader.allowed("[fe80::1%eth0]", ANY)).isFalse();
        assertThat(HostHeader.allowed("[bad.cafe]", ANY)).isFalse();
        assertThat(HostHeader.allowed("10.0.0.1:http", ANY)).isFalse();
        assertThat(HostHeader.allowed("[::1", ANY)).isFalse();
    }

    @Test
    void onOneAddressThatAddressAndLoopbackPass() {
        assertThat(HostHeader.allowed("10.1.2.3:9462", NODE)).isTrue();
        assertThat(HostHeader.allowed("10.1.2.4:9462", NODE)).isFalse();
        assertThat(HostHeader.allowed("localhost:9462", LOOPBACK)).isTrue();
        assertThat(HostHeader.allowed("LocalHost", LOOPBACK)).isTrue();
        assertThat(HostHeader.allowed("127.0.0.1", LOOPBACK)).isTrue();
        assertThat(HostHeader.allowed("[::1]:9462", LOOPBACK)).isTrue();
        assertThat(HostHeader.allowed("[::ffff:127.0.0.1]", LOOPBACK)).isTrue();
        assertThat(HostHeader.allowed("localhost.attacker.example", LOOPBACK)).isFalse();
        assertThat(HostHeader.allowed(null, LOOPBACK)).isTrue();
    }
}
