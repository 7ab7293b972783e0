package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FdinfoFileTest {

    @Test
    void userfaultfdWithAPendingFault() {
        FdinfoFile f = FdinfoFile.parse(Fixtures.text("bundle-6.18/proc/4889/fdinfo/3"));
        assertThat(f.uffdPending()).isEqualTo(1L);
        assertThat(f.uffdTotal()).isEqualTo(1L);
        assertThat(f.inode()).isEqualTo("7692");
        assertThat(f.get("API")).isEqualTo("aa:80000000:80000000000001ff");
        assertThat(f.fuseConnection()).isNull();
    }

    @Test
    void fuseDeviceNamesItsConnection() {
        FdinfoFile f = FdinfoFile.parse(Fixtures.text("bundle-6.18/proc/4889/fdinfo/4"));
        assertThat(f.fuseConnection()).isEqualTo(40L);
        assertThat(f.uffdPending()).isNull();
    }

    @Test
    void eventfdIsNeither() {
        FdinfoFile f = FdinfoFile.parse(Fixtures.text("files/fdinfo-eventfd.txt"));
        assertThat(f.uffdPending()).isNull();
        assertThat(f.fuseConnection()).isNull();
        assertThat(f.get("eventfd-count")).isEqualTo("3");
    }

    @Test
    void empty() {
        assertThat(FdinfoFile.parse(null).inode()).isNull();
        assertThat(FdinfoFile.parse("").uffdTotal()).isNull();
    }
}
