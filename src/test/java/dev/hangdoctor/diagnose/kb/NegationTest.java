package dev.hangdoctor.diagnose.kb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A mention the report's own sentence denies names nothing; a negated verb or a check still to make does not deny. */
class NegationTest {

    private static boolean negatedAt(String line, String mention) {
        int at = line.indexOf(mention);
        assertThat(at).as(mention).isNotNegative();
        return Negation.negated(line, at);
    }

    @Test
    void aDenialRightBeforeTheMentionDeniesIt() {
        // github.com/falcosecurity/falco issue 3673 (corpus s-009): the expected behaviour, not the symptom
        assertThat(negatedAt("The system should run without soft lockups or CPU stalls, even when running large models.",
                "soft lockups")).isTrue();
    }

    @Test
    void aNegatedVerbDoesNotDenyWhatFollowsIt() {
        // access.redhat.com/solutions/639043 (corpus o-009): the NFS clients are where the trouble shows
        assertThat(negatedAt("  \u2022 nfs server was not responding to nfs client machines and got the following message on"
                + " /var/log/messages of nfs clients", "nfs client machines")).isFalse();
        // github.com/Azure/local-csi-driver issue 153 (corpus l-013): the disk is what fails
        assertThat(negatedAt("lvm threads stuck in D state. Couldn't access to nvme disk properly.", "nvme disk"))
                .isFalse();
        // github.com/openzfs/zfs issue 4362: unsure, not denying
        assertThat(negatedAt("(I'm not actually sure that this involves snapshots)", "snapshots")).isFalse();
    }

    @Test
    void aCheckStillToMakeNamesASuspect() {
        // github.com/nfs-ganesha/nfs-ganesha issue 335 (corpus y-004): the reporter sets out to test the NFS client
        assertThat(negatedAt("We updated the kernel of one affected system to the latest LTS version (4.19.1) end enabled"
                + " some debug options. The idea was to make sure it is not the NFS client that causes this issue.",
                "NFS client")).isFalse();
    }

    @Test
    void aDenialEndsWithItsClause() {
        // github.com/libfuse/libfuse issue 125 (corpus d-013): the doubt is about S3QL; FUSE is named in a clause of
        // its own, and "locked in FUSE" before it
        String line = "I got this today on an NFS server that was only sharing S3QL mounts (8 shares), it seems to be"
                + " locked in FUSE, so I don't know if it's S3QL related (nothing special in mount.log), FUSE related,"
                + " or NFSd related";
        assertThat(negatedAt(line, "FUSE related")).isFalse();
        assertThat(negatedAt(line, "FUSE,")).isFalse();
        // github.com/falcosecurity/falco issue 3673 (corpus s-009): the symptom as the report states it
        assertThat(negatedAt("Observe that the soft lockup occurs after some time", "soft lockup")).isFalse();
    }
}
