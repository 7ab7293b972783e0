package dev.hangdoctor.model;

import java.util.Map;
import java.util.TreeMap;

/** What the evidence says about the host as a whole: kernel release, hang-related sysctls, load. */
public final class HostFacts {
    private String kernelRelease;
    private String hostname;
    private final Map<String, String> sysctls = new TreeMap<>();
    private String loadavg;
    private final Map<String, String> pressure = new TreeMap<>();

    public String kernelRelease() { return kernelRelease; }
    public String hostname() { return hostname; }
    /** Keys as in /proc/sys with dots: "kernel.hung_task_timeout_secs". */
    public Map<String, String> sysctls() { return sysctls; }
    public String loadavg() { return loadavg; }
    /** /proc/pressure/{cpu,memory,io} first lines, by resource. */
    public Map<String, String> pressure() { return pressure; }

    public HostFacts kernelRelease(String v) { if (v != null && kernelRelease == null) kernelRelease = v; return this; }
    public HostFacts hostname(String v) { if (v != null && hostname == null) hostname = v; return this; }
    public HostFacts loadavg(String v) { loadavg = v; return this; }

    /** A new boot in the same log: the next banner says which kernel runs. */
    public void resetKernelRelease() {
        kernelRelease = null;
    }

    public void mergeFrom(HostFacts o) {
        kernelRelease(o.kernelRelease);
        hostname(o.hostname);
        o.sysctls.forEach(sysctls::putIfAbsent);
        if (loadavg == null) loadavg = o.loadavg;
        o.pressure.forEach(pressure::putIfAbsent);
    }
}
