package dev.hangdoctor.corpus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What pasting does to a report must not change the answer: every corpus report the tool reads right, quoted in an
 * e-mail reply, indented, wrapped by a mailer or a console, sent quoted-printable, escaped into a web page or put in
 * a code fence, its records printed by dmesg -T, syslog or journalctl, or copied off a web page (no-break spaces, a
 * blank line after every line), numbered by a listing (cat -n, less -N, a page's numbered list), or joined into one line, must get the same first category. The corpus holds a few real pastes of each kind; this makes every
 * report into each, so a class of failure shows however the sources happened to paste.
 */
class PastingInvarianceTest {
    /** The share of reports (read right when clean) that must keep their category under each transformation. */
    private static final double BAR = 98.8;

    /**
     * The share for a whole report joined into one line: records, frames and task lines are found again inside it,
     * but tables (ps, perf) and dumps whose rows have no mark of their own are not.
     */
    private static final double ONE_LINE_BAR = 96.7;
    private static final String ONE_LINE = "one line";

    private static final Map<String, UnaryOperator<String>> PASTES = new LinkedHashMap<>();

    static {
        PASTES.put("e-mail quote", t -> prefixLines(t, "> "));
        PASTES.put("quote in a quote", t -> prefixLines(t, "> > "));
        PASTES.put("indented", t -> prefixLines(t, "    "));
        PASTES.put("tab-indented", t -> prefixLines(t, "\t"));
        PASTES.put("console cut at 80", t -> cutLines(t, 80));
        PASTES.put("mailer wrap at 72", t -> wrapWords(t, 72));
        PASTES.put("CRLF", t -> t.replace("\n", "\r\n"));
        PASTES.put("HTML escaped", t -> t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        PASTES.put("quoted-printable", PastingInvarianceTest::quotedPrintable);
        PASTES.put("code fence", t -> "```\n" + t + (t.endsWith("\n") ? "" : "\n") + "```\n");
        // the same records as other tools print them: a report's "[ 123.456] " lines, where it has them
        PASTES.put("dmesg -T", t -> t.replaceAll("(?m)^\\[ *[0-9]+\\.[0-9]+\\]", "[Thu Dec  3 22:53:01 2026]"));
        PASTES.put("kern.log", t -> t.replaceAll("(?m)^(\\[ *[0-9]+\\.[0-9]+\\])", "Dec  3 22:53:01 node1 kernel: $1"));
        PASTES.put("journalctl -k", t -> t.replaceAll("(?m)^\\[ *[0-9]+\\.[0-9]+\\](\\[ *[TC][0-9]+\\])? ?",
                "Dec 03 22:53:01 node1 kernel: "));
        // Talos Linux's `talosctl dmesg` (machined's "facility: priority: [RFC 3339 time]: msg", the node first)
        PASTES.put("talosctl dmesg", t -> t.replaceAll("(?m)^\\[ *[0-9]+\\.[0-9]+\\](\\[ *[TC][0-9]+\\])? ?",
                "10.1.10.21: kern: warning: [2021-01-28T16:39:42.656944804Z]: "));
        // a log collector's export, `kubectl logs --timestamps`, `docker logs -t`: an RFC 3339 time before each line
        // (a collector reads a log, not a mail: quoted lines keep their quote marks first)
        PASTES.put("collector timestamps", t -> t.replaceAll("(?m)^(?![>|])", "2026-12-03T22:53:01.123456789Z "));
        // a web page's copy: &nbsp; for runs of spaces and indentation, or a paragraph (a blank line) per line
        PASTES.put("no-break spaces", t -> t.replaceAll("(?m)(?<=^| ) ", "\u00a0"));
        PASTES.put("double spaced", t -> t.replace("\n", "\n\n"));
        // a listing's line numbers: `cat -n` (or nl), and a page's numbered list or code-block gutter
        PASTES.put("cat -n", t -> numberLines(t, "%6d\t"));
        PASTES.put("numbered list", t -> numberLines(t, "%d. "));
        PASTES.put("less -N", t -> numberLines(t, "%7d "));
        // a page that lost every line break (HTML without <pre>, a scraped copy): the hardest paste, with a bar of its own
        PASTES.put(ONE_LINE, t -> t.replace("\n", " "));
    }

    private static final List<String> failures = new ArrayList<>();
    private static final Map<String, int[]> kept = new LinkedHashMap<>();

    @BeforeAll
    static void pasteEveryReport(@TempDir Path dir) throws IOException {
        for (CorpusReport report : CorpusReport.all()) {
            CorpusVerdict clean = CorpusVerdict.of(report);
            if (!clean.categoryRight()) {
                continue; // a report read wrong when clean says nothing about pasting
            }
            String body = report.body();
            for (Map.Entry<String, UnaryOperator<String>> paste : PASTES.entrySet()) {
                Path file = dir.resolve(report.name() + ".txt");
                Files.writeString(file, paste.getValue().apply(body), StandardCharsets.UTF_8);
                CorpusVerdict pasted = CorpusVerdict.of(new CorpusReport(file, report.meta()));
                int[] k = kept.computeIfAbsent(paste.getKey(), x -> new int[2]);
                k[1]++;
                if (pasted.category().equals(clean.category())) {
                    k[0]++;
                } else {
                    failures.add(paste.getKey() + ": " + report.name() + " " + clean.category() + " -> "
                            + pasted.category());
                }
            }
        }
        kept.forEach((name, k) -> System.out.printf("%-20s %d/%d kept%n", name, k[0], k[1]));
        failures.forEach(System.out::println);
    }

    @Test
    void everyWayOfPastingKeepsTheAnswer() {
        List<String> below = new ArrayList<>();
        kept.forEach((name, k) -> {
            if (100.0 * k[0] / k[1] < (name.equals(ONE_LINE) ? ONE_LINE_BAR : BAR)) {
                below.add(name + " " + k[0] + "/" + k[1]);
            }
        });
        assertThat(kept).hasSize(PASTES.size());
        assertThat(below).as("pastes under %s %% (%s %% for %s; failures: %s)", BAR, ONE_LINE_BAR, ONE_LINE, failures)
                .isEmpty();
    }

    private static String numberLines(String t, String format) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (String line : t.split("\n", -1)) {
            if (n > 0) {
                out.append('\n');
            }
            out.append(String.format(format, ++n)).append(line);
        }
        return out.toString();
    }

    private static String prefixLines(String t, String prefix) {
        StringBuilder b = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            b.append(line.isEmpty() ? prefix.strip() : prefix + line).append('\n');
        }
        return b.toString();
    }

    /** A console cuts a long line at its width, mid-word. */
    private static String cutLines(String t, int width) {
        StringBuilder b = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            while (line.length() > width) {
                b.append(line, 0, width).append('\n');
                line = line.substring(width);
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** A mailer breaks a long line at the last space before its width. */
    private static String wrapWords(String t, int width) {
        StringBuilder b = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            while (line.length() > width) {
                int sp = line.lastIndexOf(' ', width);
                if (sp <= 0) {
                    break;
                }
                b.append(line, 0, sp).append('\n');
                line = line.substring(sp + 1);
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** RFC 2045 quoted-printable: '=' as =3D, bytes above 126 as =XX, soft breaks keep lines at 76. */
    private static String quotedPrintable(String t) {
        StringBuilder b = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            StringBuilder enc = new StringBuilder();
            for (byte x : line.getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xff;
                enc.append(c == '=' || c > 126 ? String.format("=%02X", c) : String.valueOf((char) c));
            }
            String e = enc.toString();
            while (e.length() > 75) {
                int cut = 75;
                int eq = e.lastIndexOf('=', cut - 1);
                if (eq > cut - 3) {
                    cut = eq; // never split an =XX
                }
                b.append(e, 0, cut).append("=\n");
                e = e.substring(cut);
            }
            b.append(e).append('\n');
        }
        return b.toString();
    }
}
