package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class MountinfoEntryTest {

    @Test
    void realFuseMount() {
        List<MountinfoEntry> all = Fixtures.text("bundle-6.18/proc/self/mountinfo").lines()
                .map(MountinfoEntry::parse).filter(Objects::nonNull).toList();
        assertThat(all).hasSize(6);
        List<MountinfoEntry> fuse = all.stream().filter(MountinfoEntry::isFuse).toList();
        assertThat(fuse).hasSize(1);
        MountinfoEntry m = fuse.get(0);
        assertThat(m.major()).isZero();
        assertThat(m.minor()).isEqualTo(40);
        assertThat(m.fuseConnectionId()).isEqualTo(40);
        assertThat(m.mountPoint()).isEqualTo("/tmp/h5/mnt");
        assertThat(m.fsType()).isEqualTo("fuse.h5test");
        assertThat(m.source()).isEqualTo("h5test");
    }

    @Test
    void fusectlIsNotAFuseMount() {
        MountinfoEntry m = MountinfoEntry.parse("42 23 0:39 / /sys/fs/fuse/connections rw,relatime - fusectl none rw");
        assertThat(m.fsType()).isEqualTo("fusectl");
        assertThat(m.isFuse()).isFalse();
    }

    @Test
    void optionalFieldsAndTheManPageExample() {
        // proc(5)
        MountinfoEntry m = MountinfoEntry.parse("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue");
        assertThat(m.mountId()).isEqualTo(36);
        assertThat(m.major()).isEqualTo(98);
        assertThat(m.root()).isEqualTo("/mnt1");
        assertThat(m.mountPoint()).isEqualTo("/mnt2");
        assertThat(m.fsType()).isEqualTo("ext3");
        assertThat(m.source()).isEqualTo("/dev/root");
    }

    @Test
    void escapedMountPointAndBlockDeviceFuse() {
        MountinfoEntry m = MountinfoEntry.parse("50 27 8:1 / /media/my\\040disk rw,relatime shared:7 - fuseblk /dev/sda1 rw");
        assertThat(m.mountPoint()).isEqualTo("/media/my disk");
        assertThat(m.isFuse()).isTrue();
        // the connection directory is the kernel dev_t: MKDEV(8, 1)
        assertThat(m.fuseConnectionId()).isEqualTo((8L << 20) | 1);
    }

    @Test
    void notMountinfo() {
        assertThat(MountinfoEntry.parse("")).isNull();
        assertThat(MountinfoEntry.parse(null)).isNull();
        assertThat(MountinfoEntry.parse("# comment")).isNull();
        assertThat(MountinfoEntry.parse("1 2 x / / rw - ext4 /dev/vda rw")).isNull();
        assertThat(MountinfoEntry.parse("1 2 0:1 / / rw no dash here")).isNull();
    }

    @Test
    void aWholeFileAndItsPath() {
        List<MountinfoEntry> all = MountinfoEntry.parseAll(Fixtures.text("bundle-6.18/proc/self/mountinfo") + "\ngarbage\n");
        assertThat(all).isNotEmpty().noneMatch(m -> m == null);
        assertThat(all).hasSameSizeAs(Fixtures.text("bundle-6.18/proc/self/mountinfo").lines()
                .filter(l -> !l.isBlank()).toList());
        assertThat(MountinfoEntry.parseAll(null)).isEmpty();
        assertThat(MountinfoEntry.path(java.nio.file.Path.of("bundle/proc"), "self"))
                .isEqualTo(java.nio.file.Path.of("bundle/proc/self/mountinfo"));
    }
}
