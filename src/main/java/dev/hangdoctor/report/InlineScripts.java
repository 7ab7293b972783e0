package dev.hangdoctor.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Content-Security-Policy of a page the agent made: its own inline scripts run (by their SHA-256), nothing else
 * does, and nothing is fetched. Every name and frame in such a page is escaped, so a {@code <script>} element in it is
 * one the page's code wrote.
 */
public final class InlineScripts {
    private InlineScripts() {
    }

    /** The policy for {@code html}: its own inline scripts, styles and data images, nothing fetched or framed. */
    public static String contentSecurityPolicy(byte[] html) {
        String page = new String(html, StandardCharsets.UTF_8);
        Set<String> hashes = new LinkedHashSet<>();
        int from = 0;
        while (true) {
            int open = page.indexOf("<script>", from);
            if (open < 0) {
                break;
            }
            int close = page.indexOf("</script>", open);
            if (close < 0) {
                break;
            }
            hashes.add("'" + sha256(page.substring(open + "<script>".length(), close)) + "'");
            from = close;
        }
        return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src "
                + (hashes.isEmpty() ? "'none'" : String.join(" ", hashes))
                + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** A CSP source expression for an inline script: {@code sha256-BASE64}. */
    public static String sha256(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
