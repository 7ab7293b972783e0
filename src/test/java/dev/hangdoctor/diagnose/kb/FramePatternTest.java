package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.model.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A frame name the paste cut (corpus d-018: "nfs4_discover_" at the end of the paste) against rule frame names. */
class FramePatternTest {
    private static final Frame CUT = Frame.of("nfs4_discover_").cutShort();

    @Test
    void aCutNameMatchesTheNamesItBegins() {
        assertThat(FramePattern.matches(CUT, "nfs4_discover_server_trunking")).isTrue();
        assertThat(FramePattern.matches(CUT, "__mutex_lock|nfs4_discover_server_trunking")).isTrue();
        assertThat(FramePattern.matches(CUT, "nfs4_*")).isTrue();
        assertThat(FramePattern.matches(CUT, "nfs_*")).isFalse();
        assertThat(FramePattern.matches(CUT, "nfs4_do_open")).isFalse();
    }

    @Test
    void aWholeNameOrAFewLettersLeftMatchNothingElse() {
        assertThat(FramePattern.matches(Frame.of("nfs4_discover_"), "nfs4_discover_server_trunking")).isFalse();
        assertThat(FramePattern.matches(Frame.of("nfs4_d").cutShort(), "nfs4_discover_server_trunking")).isFalse();
    }
}
