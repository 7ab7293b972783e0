package dev.hangdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cgroup path patterns: one level with "*", any depth with "**", whole path elements only. */
class CgroupGlobTest {
    @Test
    void starIsOneLevel() {
        CgroupGlob g = CgroupGlob.parse("/docker/*");
        assertThat(g.matches("/docker/3f2a")).isTrue();
        assertThat(g.matches("/docker")).isFalse();
        assertThat(g.matches("/docker/3f2a/child")).isFalse();
        assertThat(g.matches("/dockerx/3f2a")).isFalse();
        assertThat(g.couldMatchBelow("/docker")).isTrue();
        assertThat(g.couldMatchBelow("/docker/3f2a")).isFalse();
        assertThat(g.couldMatchBelow("/system.slice")).isFalse();
    }

    @Test
    void doubleStarIsAnyDepthBelow() {
        CgroupGlob g = CgroupGlob.parse("/kubepods/**");
        assertThat(g.matches("/kubepods")).isFalse();
        assertThat(g.matches("/kubepods/burstable")).isTrue();
        assertThat(g.matches("/kubepods/burstable/pod1/c1")).isTrue();
        assertThat(CgroupGlob.parse("/kubepods/**/c?").matches("/kubepods/burstable/pod1/c1")).isTrue();
        assertThat(CgroupGlob.parse("/kubepods/**/c?").matches("/kubepods/c1")).isFalse();
    }

    @Test
    void plainPathsAndRelativeSpellings() {
        assertThat(CgroupGlob.parse("app.slice/web.service").matches("/app.slice/web.service")).isTrue();
        assertThat(CgroupGlob.parse("/").matches("/")).isTrue();
        assertThat(CgroupGlob.parse("/a.b").matches("/aXb")).as("dots are literal").isFalse();
    }
}
