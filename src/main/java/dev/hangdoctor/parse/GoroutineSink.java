package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Goroutine;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Go goroutine dumps (`goroutine 146 [select, 8817 minutes]:` and the frames under it): function lines
 * (`net/http.(*persistConn).roundTrip(0xc000658fc0, ...)`) alternate with indented file lines
 * (`\t/usr/local/go/src/net/http/transport.go:2610 +0x765`) and end with `created by ...`. Machine-translated
 * pastes (Chinese words in names, `、` separators, `分鐘` for minutes) are kept as found.
 */
public final class GoroutineSink implements LineSink {
    /** Frames kept per goroutine; Go itself elides after 100. */
    private static final int MAX_FUNCTIONS = 128;

    private final Evidence evidence;
    private final String source;
    private long id = -1;
    private String waitReason;
    private Long waitMinutes;
    private String at;
    private final List<String> functions = new ArrayList<>();
    private boolean createdBy;

    public GoroutineSink(Evidence evidence, String source) {
        this.evidence = evidence;
        this.source = source;
    }

    @Override
    public boolean accept(LogLine line) {
        String m = line.message();
        if (m == null) {
            return false;
        }
        String t = m.strip();
        if (t.startsWith("goroutine ")) {
            if (parseHeader(t, line.lineNo())) {
                return true;
            }
        }
        if (id < 0) {
            return false;
        }
        if (t.isEmpty()) {
            flush();
            return false;
        }
        boolean indented = m.charAt(0) == ' ' || m.charAt(0) == '\t';
        if (indented) {
            // the file:line under each function, or a continuation of it
            return true;
        }
        if (t.startsWith("created by ") || t.startsWith("由 ")) {
            createdBy = true;
            return true;
        }
        if (createdBy || t.indexOf('.') < 0) {
            flush();
            return false;
        }
        if (functions.size() < MAX_FUNCTIONS) {
            functions.add(functionName(t));
        }
        return true;
    }

    @Override
    public void finish() {
        flush();
    }

    @Override
    public boolean idle() {
        return id < 0;
    }

    /** Outside a goroutine only its header matters. */
    @Override
    public void describe(LineScreen.Builder screen) {
        screen.prefix("goroutine ");
    }

    /** `goroutine 7 [chan receive, 5 minutes]:`, `goroutine 18 gp=0xc000102380 m=nil [IO wait]:`. */
    private boolean parseHeader(String t, long lineNo) {
        int open = t.indexOf('[');
        int close = t.lastIndexOf(']');
        if (open < 0 || close < open || !t.endsWith(":")) {
            return false;
        }
        Long gid = TaskLineParser.leadingNumber(t, 10);
        if (gid == null) {
            return false;
        }
        flush();
        id = gid;
        at = source + ":" + lineNo;
        String inside = t.substring(open + 1, close);
        String[] parts = inside.split("[,，、]");
        waitReason = parts[0].strip();
        waitMinutes = null;
        for (int k = 1; k < parts.length; k++) {
            String p = parts[k].strip();
            Long n = TaskLineParser.leadingNumber(p, 0);
            if (n != null && (p.contains("minute") || p.contains("分"))) {
                waitMinutes = n;
            }
        }
        return true;
    }

    /** The call without its argument list: `net/http.(*Client).Do(...)` -> `net/http.(*Client).Do`. */
    static String functionName(String t) {
        if (!t.endsWith(")")) {
            return t;
        }
        int depth = 0;
        for (int k = t.length() - 1; k >= 0; k--) {
            char ch = t.charAt(k);
            if (ch == ')') {
                depth++;
            } else if (ch == '(') {
                depth--;
                if (depth == 0) {
                    return k == 0 ? t : t.substring(0, k);
                }
            }
        }
        return t;
    }

    private void flush() {
        if (id >= 0) {
            evidence.addGoroutine(new Goroutine(id, waitReason, waitMinutes, functions, at));
            evidence.addFormat("goroutine dump");
        }
        id = -1;
        functions.clear();
        createdBy = false;
    }
}
