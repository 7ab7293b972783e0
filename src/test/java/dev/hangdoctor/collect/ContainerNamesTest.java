package dev.hangdoctor.collect;

import dev.hangdoctor.cli.Main;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.ContainerRef;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Pod and container names from the runtimes' state on the node, and the pod line in every view. */
class ContainerNamesTest {
    private static final Path STATE = Path.of("src/test/resources/cgroup-paths/runtime-state");

    @TempDir
    Path tmp;

    private static Task task(int pid, String cgroup) {
        return new Task(pid).comm("t" + pid).memoryCgroup(cgroup);
    }

    @Test
    void namesComeFromEachRuntimesState() {
        Evidence ev = new Evidence();
        ev.addTask(task(10, "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod55c6c714_b240_4dec_9a45_57b61696ab6e.slice/cri-containerd-2032491dcae31e6746f47daa0ac74564f2843a1bd847c5e6c4eb501ca132ac36.scope"));
        ev.addTask(task(11, "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poda5c1f8d5_1919_434d_add7_4afaafdaef89.slice/crio-5eed917563583925ffdbd40a64efb2aaffe58638e57add8becaf460fe74f5b1c.scope"));
        ev.addTask(task(12, "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod9692aa0e_748e_11e8_8dfa_76d458035df6.slice/docker-abddff03dfd7710c79a750ce3e730365cbb2c8247a974170c1062683bc3e9152.scope"));
        // cgroupfs driver: the path does not say which runtime; no state for it on this node
        ev.addTask(task(13, "/kubepods/burstable/pod6e5b24a8-c8b6-11e7-b5e8-a6275109595d/447a0f0b4b1aad5d9ee27eae473451287c49f7634545f6382126d50bb824ea57"));
        ev.addTask(task(14, "/user.slice"));
        ContainerNames.fill(STATE, ev, TimedReader.shared(), System.nanoTime() + 5_000_000_000L);

        assertThat(ev.taskOrNull(10).container()).isEqualTo(new ContainerRef("containerd",
                "55c6c714-b240-4dec-9a45-57b61696ab6e", "2032491dcae31e6746f47daa0ac74564f2843a1bd847c5e6c4eb501ca132ac36",
                "burstable", "storage", "fuse-daemon-7d9f", "fuse-daemon"));
        assertThat(ev.taskOrNull(11).container().describe())
                .isEqualTo("pod kube-system/calico-node-hx7cw container calico-node (pod uid a5c1f8d5-1919-434d-add7-4afaafdaef89, cri-o 5eed91756358)");
        assertThat(ev.taskOrNull(12).container().podName()).isEqualTo("kube-proxy-4x9v2");
        assertThat(ev.taskOrNull(12).container().containerName()).isEqualTo("kube-proxy");
        assertThat(ev.taskOrNull(13).container().podName()).isNull();
        assertThat(ev.taskOrNull(13).container().describe())
                .isEqualTo("pod uid 6e5b24a8-c8b6-11e7-b5e8-a6275109595d (container 447a0f0b4b1a)");
        assertThat(ev.taskOrNull(14).container()).isNull();
        assertThat(TaskRef.of(ev.taskOrNull(10)).container().podNamespace()).isEqualTo("storage");
    }

    @Test
    void aSavedBundleShowsThePodOfItsCgroupPathInEveryView() throws Exception {
        Path bundle = ProcFixtures.copyBundle(tmp.resolve("b"));
        String path = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod55c6c714_b240_4dec_9a45_57b61696ab6e.slice/cri-containerd-2032491dcae31e6746f47daa0ac74564f2843a1bd847c5e6c4eb501ca132ac36.scope";
        moveToCgroup(bundle.resolve("proc/4889"), path);
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run("analyze", "--json", bundle.toString())).at("/findings/0/rootCause");
        assertThat(root.path("pid").asInt()).isEqualTo(4889);
        assertThat(root.at("/container/runtime").asText()).isEqualTo("containerd");
        assertThat(root.at("/container/podUid").asText()).isEqualTo("55c6c714-b240-4dec-9a45-57b61696ab6e");
        assertThat(root.at("/container/containerId").asText())
                .isEqualTo("2032491dcae31e6746f47daa0ac74564f2843a1bd847c5e6c4eb501ca132ac36");
        String text = run("analyze", bundle.toString());
        assertThat(text).contains("  pods:    blocker in pod uid 55c6c714-b240-4dec-9a45-57b61696ab6e (containerd 2032491dcae3)");
        Path html = tmp.resolve("r.html");
        run("analyze", "--html", html.toString(), bundle.toString());
        assertThat(Files.readString(html)).contains("<dt>Pods</dt><dd>blocker in pod uid 55c6c714-b240-4dec-9a45-57b61696ab6e");
    }

    @Test
    void aSavedBundleKeepsTheNamesTheScanFound() throws Exception {
        // a host root: the proc fixture with its blocker in a containerd container, and containerd's state for it
        Path host = ProcFixtures.copyBundle(tmp.resolve("host"));
        String path = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod55c6c714_b240_4dec_9a45_57b61696ab6e.slice/cri-containerd-2032491dcae31e6746f47daa0ac74564f2843a1bd847c5e6c4eb501ca132ac36.scope";
        moveToCgroup(host.resolve("proc/4889"), path);
        Path state = STATE.resolve("run/containerd/io.containerd.runtime.v2.task/k8s.io/2032491dcae31e6746f47daa0ac74564f2843a1bd847c5e6c4eb501ca132ac36");
        Path copy = Files.createDirectories(host.resolve(STATE.relativize(state).toString()));
        Files.copy(state.resolve("config.json"), copy.resolve("config.json"));

        Path saved = tmp.resolve("saved");
        Evidence live = new LiveSampler(host, LiveSampler.Options.defaults().withWindow(java.time.Duration.ZERO)
                .withKmsgDevice(null).withSaveDir(saved)).scan();
        assertThat(live.taskOrNull(4889).container().podName()).isEqualTo("fuse-daemon-7d9f");
        // only the names are kept, not the runtime's state file (it holds the container's environment)
        assertThat(saved.resolve(ContainerNames.FILE)).hasContent(
                "2032491dcae31e6746f47daa0ac74564f2843a1bd847c5e6c4eb501ca132ac36\tstorage\tfuse-daemon-7d9f\tfuse-daemon");
        try (Stream<Path> s = Files.walk(saved)) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("config.json"))).isEmpty();
        }

        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run("analyze", "--json", saved.toString())).at("/findings/0/rootCause");
        assertThat(root.path("pid").asInt()).isEqualTo(4889);
        assertThat(root.at("/container/podNamespace").asText()).isEqualTo("storage");
        assertThat(root.at("/container/podName").asText()).isEqualTo("fuse-daemon-7d9f");
        assertThat(root.at("/container/containerName").asText()).isEqualTo("fuse-daemon");
        assertThat(run("analyze", saved.toString()))
                .contains("  pods:    blocker in pod storage/fuse-daemon-7d9f container fuse-daemon (pod uid");
    }

    @Test
    void savedNamesThatAreNotFourFieldsAreSkipped() {
        Evidence ev = new Evidence();
        ev.addTask(task(10, "/kubepods/burstable/pod6e5b24a8-c8b6-11e7-b5e8-a6275109595d/447a0f0b4b1aad5d9ee27eae473451287c49f7634545f6382126d50bb824ea57"));
        ev.addTask(task(11, "/user.slice"));
        ContainerNames.applySaved(ev, "447a0f0b4b1aad5d9ee27eae473451287c49f7634545f6382126d50bb824ea57\tdefault\n"
                + "garbage\n\n-\ta\tb\tc\n");
        assertThat(ev.taskOrNull(10).container()).isNull();
        ContainerNames.applySaved(ev, "447a0f0b4b1aad5d9ee27eae473451287c49f7634545f6382126d50bb824ea57\t-\t-\tweb\n");
        assertThat(ev.taskOrNull(10).container().describe())
                .isEqualTo("pod uid 6e5b24a8-c8b6-11e7-b5e8-a6275109595d container web (container 447a0f0b4b1a)");
        assertThat(ev.taskOrNull(11).container()).isNull();
        // and a name with a tab or a line break cannot break the format
        ev.taskOrNull(10).container(ev.taskOrNull(10).container().withNames("a\tb", "p\nq", null));
        assertThat(ContainerNames.format(ev)).isEqualTo(
                "447a0f0b4b1aad5d9ee27eae473451287c49f7634545f6382126d50bb824ea57\ta?b\tp?q\tweb\n");
    }

    /** Puts every thread of a fixture process in the cgroup {@code path} (v1 memory and v2 lines). */
    private static void moveToCgroup(Path processDir, String path) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(processDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals("cgroup")).toList()) {
                Files.writeString(p, Files.readString(p).replaceAll("(?m)^4:memory:.*$", "4:memory:" + path)
                        .replaceAll("(?m)^0::.*$", "0::" + path));
            }
        }
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args);
        return out.toString();
    }

    @Test
    void aStateFileThatSaysNothingKeepsTheIds() {
        ContainerRef c = new ContainerRef("containerd", "u", "id", "burstable", null, null, null);
        assertThat(ContainerNames.names(c, "{\"ociVersion\":\"1.1.0\"}")).isNull();
        assertThat(ContainerNames.names(c, "not json")).isNull();
        assertThat(List.of(c)).isNotEmpty();
    }
}
