package dev.hangdoctor.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The roff man pages the build makes (target/man, after package: the `man-pages` execution) document every command
 * and each of its options, as `man -l` shows them (or, without man, as the roff text says).
 */
class ManPagesTest {
    private static final Path MAN = Path.of("target/man");

    @Test
    void everyCommandsPageShowsEachOfItsOptions() throws Exception {
        assertThat(MAN.resolve("hangdoctor.1")).as("made by the build's package phase").isRegularFile();
        Map<String, CommandLine> commands = Main.commandLine(null).getSubcommands();
        assertThat(commands).containsKeys("analyze", "scan", "fix", "audit", "watch", "check");
        boolean man = hasMan();
        for (Map.Entry<String, CommandLine> c : commands.entrySet()) {
            Path page = MAN.resolve("hangdoctor-" + c.getKey() + ".1");
            assertThat(page).isRegularFile();
            List<String> views = new ArrayList<>(List.of(roffText(Files.readString(page))));
            if (man) {
                views.add(rendered(page));
            }
            for (String text : views) {
                assertThat(text).as(page.toString()).contains("NAME", "SYNOPSIS", "OPTIONS", "hangdoctor " + c.getKey());
                for (OptionSpec o : c.getValue().getCommandSpec().options()) {
                    if (!o.hidden()) {
                        assertThat(text).as(page + " documents " + o.longestName()).contains(o.longestName());
                    }
                }
            }
        }
    }

    private static boolean hasMan() {
        try {
            Process p = new ProcessBuilder("man", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The page as `man -l` formats it, in ASCII (no typographic hyphens) and wide enough not to split options. */
    private static String rendered(Path page) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("man", "-P", "cat", "-l", page.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("MANWIDTH", "200");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("man -l " + page).isZero();
        return out;
    }

    /** The roff source with font changes dropped and escaped hyphens plain: enough to find names in. */
    static String roffText(String roff) {
        return roff.replaceAll("\\\\f[BIRP]", "").replace("\\-", "-").replaceAll("(?m)^\\.SH \"?([^\"\\n]*)\"?$", "$1");
    }
}
