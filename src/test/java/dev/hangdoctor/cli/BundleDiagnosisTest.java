package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 6.18 bundle under src/test/resources/proc (a FUSE daemon that never answered INIT and also owns an orphaned
 * userfaultfd, and a hog in a memory cgroup with the OOM killer disabled), through `analyze`: each finding names
 * the kernel object behind it and fills the remediation with its real id or path.
 */
class BundleDiagnosisTest {

    private static final String BUNDLE = "src/test/resources/proc/bundle-6.18";

    private static JsonNode finding(JsonNode doc, String signature) {
        for (JsonNode f : doc.get("findings")) {
            if (f.get("signature").asText().equals(signature)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + signature + " in " + doc.get("findings"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode analyze() {
        CliRun r = CliRun.of("analyze", "--json", BUNDLE);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
        return r.json();
    }

    @Test
    void fuseFindingNamesConnectionMountAndDaemon() {
        JsonNode f = finding(analyze(), "fuse-daemon-hung");
        assertThat(f.get("rootCause").get("pid").asInt()).isEqualTo(4889);
        assertThat(texts(f.get("evidence"))).contains("mk2:4892 D in fuse_get_req")
                .anySatisfy(l -> assertThat(l).startsWith("FUSE connection 40 at /tmp/h5/mnt (fuse.h5test): 2 request(s)"
                        + " waiting; daemon mk2:4889 never reads /dev/fuse (no thread in fuse_dev_do_read)"));
        // the daemon is the blocker, with what is wrong with it, from its own threads' stacks
        assertThat(f.get("blocker").asText()).isEqualTo("the daemon of FUSE connection 40 at /tmp/h5/mnt: daemon"
                + " mk2:4889 never reads /dev/fuse (no thread in fuse_dev_do_read)");
        assertThat(texts(f.get("remediation"))).anySatisfy(l ->
                assertThat(l).contains("echo 1 > /sys/fs/fuse/connections/40/abort").doesNotContain("<N>"));
    }

    @Test
    void memcgFindingNamesTheCgroupAndTheProcessItsOomKillerWouldChoose() {
        JsonNode f = finding(analyze(), "memcg-oom-kill-disabled");
        assertThat(f.get("blocker").asText()).startsWith("memory cgroup /h5test (under_oom 1, oom_kill_disable 1");
        assertThat(texts(f.get("evidence"))).anySatisfy(l -> assertThat(l).startsWith("memory cgroup /h5test (")
                .contains("its OOM killer would choose hog:5213 (rss 64 MiB, oom_score_adj 0"));
        assertThat(texts(f.get("remediation")))
                .contains("Raise the limit: echo <bytes> > /sys/fs/cgroup/memory/h5test/memory.limit_in_bytes")
                .anySatisfy(l -> assertThat(l).endsWith("kill -9 5213"));
    }

    @Test
    void uffdFindingSaysNoOtherProcessHoldsTheUffdAndStaysBesideTheFuseOne() {
        JsonNode f = finding(analyze(), "uffd-unserved-fault");
        assertThat(f.get("rootCause").get("pid").asInt()).isEqualTo(4889);
        assertThat(f.get("victims").findValues("pid")).extracting(JsonNode::asInt).contains(4891);
        assertThat(texts(f.get("evidence"))).contains("userfaultfd fd 3 of mk2:4889 (inode 7692): 1 fault(s) pending;"
                + " no other live process holds it, so no handler will serve the fault(s)");
    }
}
