package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent keeps its memory bound however it is started: the launcher's `watch` flags are the deployment's. */
class AgentJvmFlagsTest {
    private static final Pattern FLAG = Pattern.compile("-X[^\\s\"',\\\\]+");

    private static List<String> flags(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static String between(String text, String from, String to) {
        int a = text.indexOf(from);
        assertThat(a).as("'%s' in the file", from).isNotNegative();
        int b = text.indexOf(to, a + from.length());
        return text.substring(a, b);
    }

    @Test
    void theLauncherStartsWatchWithTheDeployedFlags() throws Exception {
        String launcher = Files.readString(Path.of("hangdoctor"));
        String watch = between(launcher, "if [ \"${1:-}\" = watch ]; then", "\nfi");
        List<String> launched = flags(watch.replaceAll("(?m)^\\s*#.*$", ""));

        String unit = Files.readString(Path.of("deploy/hangdoctor.service"));
        List<String> systemd = flags(between(unit, "ExecStart=", "-jar"));
        String ds = Files.readString(Path.of("deploy/daemonset.yaml"));
        List<String> daemonSet = flags(between(ds, "command: [\"java\"", "\"-jar\""));

        assertThat(launched).contains("-Xmx64m", "-Xmn6m", "-XX:CICompilerCount=1");
        assertThat(launched).containsExactlyInAnyOrderElementsOf(systemd);
        assertThat(daemonSet).containsExactlyInAnyOrderElementsOf(systemd);
        assertThat(launcher).contains("MALLOC_ARENA_MAX");
        assertThat(unit).contains("Environment=MALLOC_ARENA_MAX=2");
        assertThat(ds).contains("MALLOC_ARENA_MAX");
    }
}
