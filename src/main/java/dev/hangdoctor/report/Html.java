package dev.hangdoctor.report;

/** HTML/SVG text escaping: task names, frames and log lines are attacker-controlled and must render as text. */
final class Html {
    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        esc(sb, s);
        return sb.toString();
    }

    static StringBuilder esc(StringBuilder sb, String s) {
        if (s == null) {
            return sb;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // control bytes from a binary log would make the document invalid XML inside <svg>
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb;
    }

    /** An href only for http(s) links: a "javascript:" link in a rule file must not become clickable. */
    static String safeHref(String url) {
        if (url == null) {
            return null;
        }
        String u = url.strip();
        String lower = u.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? u : null;
    }
}
