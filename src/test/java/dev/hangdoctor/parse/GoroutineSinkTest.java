package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Goroutine;
import org.junit.jupiter.api.Test;

import static dev.hangdoctor.parse.TraceFixtures.parse;
import static dev.hangdoctor.parse.TraceFixtures.parseFixture;
import static org.assertj.core.api.Assertions.assertThat;

class GoroutineSinkTest {

    @Test
    void seed003TranslatedDumpKeepsNamesAsFound() throws Exception {
        Evidence e = parseFixture("seed003-goroutine.txt");
        assertThat(e.goroutines()).hasSize(1);
        Goroutine g = e.goroutines().get(0);
        assertThat(g.id()).isEqualTo(146);
        assertThat(g.waitMinutes()).isEqualTo(8817L);
        assertThat(g.waitReason()).isEqualTo("選擇");
        assertThat(g.functions().get(0)).isEqualTo("net/http.(*persistConn).roundTrip");
        assertThat(g.functions()).contains("net/http.(*Transport).往返", "net/http.(*Client).Do",
                "github.com/Netflix/titus-executor/executor/runtime/docker.(*DockerRuntime).Kill");
        assertThat(g.functions()).hasSize(15);
        assertThat(g.topUserFunction()).isEqualTo("net/http.(*persistConn).roundTrip");
        assertThat(g.source()).isEqualTo("seed003-goroutine.txt:1");
        assertThat(e.formats()).containsExactly("goroutine dump");
    }

    @Test
    void headerVariants() {
        Evidence e = parse(String.join("\n",
                "goroutine 1 [running]:",
                "main.main()",
                "\t/src/main.go:10 +0x1d",
                "",
                "goroutine 7 [chan receive, 5 minutes]:",
                "main.worker(0xc000010000)",
                "\t/src/main.go:20 +0x45",
                "created by main.main in goroutine 1",
                "\t/src/main.go:12 +0x6f",
                "",
                "goroutine 9 [syscall, 10 minutes, locked to thread]:",
                "syscall.Syscall(0x0, 0x3, 0xc000100000, 0x8000)",
                "\t/usr/local/go/src/syscall/asm_linux_amd64.s:20 +0x5",
                "goroutine 18 gp=0xc000102380 m=nil [IO wait]:",
                "internal/poll.runtime_pollWait(0x7f, 0x72)",
                "\t/usr/local/go/src/runtime/netpoll.go:345 +0x85"), "g");
        assertThat(e.goroutines()).extracting(Goroutine::id).containsExactly(1L, 7L, 9L, 18L);
        assertThat(e.goroutines()).extracting(Goroutine::waitReason)
                .containsExactly("running", "chan receive", "syscall", "IO wait");
        assertThat(e.goroutines().get(0).waitMinutes()).isNull();
        assertThat(e.goroutines().get(1).waitMinutes()).isEqualTo(5L);
        assertThat(e.goroutines().get(1).functions()).containsExactly("main.worker");
        assertThat(e.goroutines().get(2).waitMinutes()).isEqualTo(10L);
        assertThat(e.goroutines().get(3).topUserFunction()).isEqualTo("internal/poll.runtime_pollWait");
    }
}
