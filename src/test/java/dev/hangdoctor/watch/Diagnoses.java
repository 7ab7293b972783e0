package dev.hangdoctor.watch;

import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.TaskRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small synthetic diagnoses for the incident tests. */
final class Diagnoses {
    private Diagnoses() {
    }

    static Finding fuse(int daemon, int... victims) {
        List<TaskRef> v = new ArrayList<>();
        for (int p : victims) {
            v.add(new TaskRef(p, "fsop"));
        }
        return new Finding("hung-fuse-daemon", Category.FUSE, "A FUSE daemon stopped answering", 0.9,
                new TaskRef(daemon, "fused"), "fused:" + daemon, "FUSE connection 40", v, List.of("fsop waits"),
                List.of("request_wait_answer"), "explained", new Finding.Fix(null, null, null, null),
                List.of("abort the connection"), List.of("fuse-abort"));
    }

    static Finding memcg(String blocker) {
        return new Finding("memcg-oom-kill-disabled", Category.MEMCG_OOM, "memcg OOM with the killer disabled", 0.9,
                null, blocker, null, List.of(new TaskRef(5213, "hog")), List.of(), List.of(), "explained",
                new Finding.Fix(null, null, null, null), List.of(), List.of());
    }

    static Diagnosis of(Finding... findings) {
        return new Diagnosis(List.of(findings), List.of(), Map.of("D", findings.length), findings.length,
                "6.18.44-test", List.of("/proc tree"), List.of(), List.of(), List.of(), null, Map.of(), List.of(),
                List.of());
    }
}
