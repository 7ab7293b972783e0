package dev.hangdoctor.act;

import dev.hangdoctor.collect.LiveSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemcgRaiseLimitActionTest {
    @TempDir
    Path cg;

    private MemcgRaiseLimitAction raise(long from) throws Exception {
        Files.writeString(cg.resolve("memory.limit_in_bytes"), from + "\n");
        Files.writeString(cg.resolve("memory.usage_in_bytes"), from + "\n");
        Files.writeString(cg.resolve("memory.oom_control"), "oom_kill_disable 1\nunder_oom 1\noom_kill 0\n");
        return new MemcgRaiseLimitAction(LiveSource.at(cg), "memcg-oom-kill-disabled", cg, "/c", 1, from,
                MemcgRaiseLimitAction.raisedLimit(from));
    }

    @Test
    void raisesByAQuarterAtLeast64MiBAndChecksTheLimitFirst() throws Exception {
        assertThat(MemcgRaiseLimitAction.raisedLimit(32L << 20)).isEqualTo(96L << 20);
        assertThat(MemcgRaiseLimitAction.raisedLimit(1L << 30)).isEqualTo((1L << 30) + (256L << 20));
        MemcgRaiseLimitAction a = raise(32L << 20);
        assertThat(a.precheck()).isNull();
        assertThat(a.observe()).contains("under_oom=1");
        a.apply();
        assertThat(Files.readString(cg.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(96L << 20));
        assertThat(a.precheck()).contains("changed since the diagnosis");
    }

    @Test
    void memswIsRaisedFirstWhenItWouldBeBelowTheNewLimit() throws Exception {
        MemcgRaiseLimitAction a = raise(32L << 20);
        Files.writeString(cg.resolve("memory.memsw.limit_in_bytes"), (40L << 20) + "\n");
        assertThat(a.commands()).hasSize(2);
        a.apply();
        assertThat(Files.readString(cg.resolve("memory.memsw.limit_in_bytes")).trim()).isEqualTo(Long.toString(96L << 20));
    }

    @Test
    void undoRestoresOnlyWhenUsageFellWellBelowTheOldLimit() throws Exception {
        MemcgRaiseLimitAction a = raise(32L << 20);
        a.apply();
        Action undo = a.undo();
        assertThat(undo.id()).isEqualTo(MemcgRestoreLimitAction.ID);
        Files.writeString(cg.resolve("memory.usage_in_bytes"), (40L << 20) + "\n");
        assertThat(undo.precheck()).startsWith("usage 40 MiB is still near the old limit 32 MiB");
        assertThatThrownBy(undo::apply).hasMessageStartingWith("refused: usage 40 MiB");
        Files.writeString(cg.resolve("memory.usage_in_bytes"), (8L << 20) + "\n");
        assertThat(undo.precheck()).isNull();
        assertThat(undo.commands()).containsExactly("echo " + (32L << 20) + " > " + cg.resolve("memory.limit_in_bytes"));
        undo.apply();
        assertThat(Files.readString(cg.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(32L << 20));
        assertThat(undo.precheck()).startsWith("the limit is no longer the one fix set");
    }

    /** Someone raised the limit between the precheck and the write: the raise must not lower it. */
    @Test
    void aLimitRaisedMeanwhileIsNeverLowered() throws Exception {
        MemcgRaiseLimitAction a = raise(32L << 20);
        assertThat(a.precheck()).isNull();
        Files.writeString(cg.resolve("memory.limit_in_bytes"), (512L << 20) + "\n");
        assertThatThrownBy(a::apply).hasMessageContaining("changed since the diagnosis");
        assertThat(Files.readString(cg.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(512L << 20));
    }

    @Test
    void restorePutsBackTheMemswLimitItRaisedAfterTheLimit() throws Exception {
        MemcgRaiseLimitAction a = raise(32L << 20);
        Files.writeString(cg.resolve("memory.memsw.limit_in_bytes"), (40L << 20) + "\n");
        a.apply();
        assertThat(a.observe()).contains("memsw=" + (96L << 20));
        Files.writeString(cg.resolve("memory.usage_in_bytes"), (8L << 20) + "\n");
        Action undo = a.undo();
        assertThat(undo.summary()).contains("to 32 MiB, then memsw to 40 MiB");
        undo.apply();
        assertThat(Files.readString(cg.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(32L << 20));
        assertThat(Files.readString(cg.resolve("memory.memsw.limit_in_bytes")).trim())
                .isEqualTo(Long.toString(40L << 20));
    }

    @Test
    void aMemswLimitChangedSinceTheRaiseIsLeftAlone() throws Exception {
        MemcgRaiseLimitAction a = raise(32L << 20);
        Files.writeString(cg.resolve("memory.memsw.limit_in_bytes"), (40L << 20) + "\n");
        a.apply();
        Files.writeString(cg.resolve("memory.memsw.limit_in_bytes"), (1024L << 20) + "\n");
        Files.writeString(cg.resolve("memory.usage_in_bytes"), (8L << 20) + "\n");
        a.undo().apply();
        assertThat(Files.readString(cg.resolve("memory.limit_in_bytes")).trim()).isEqualTo(Long.toString(32L << 20));
        assertThat(Files.readString(cg.resolve("memory.memsw.limit_in_bytes")).trim())
                .isEqualTo(Long.toString(1024L << 20));
    }
}
