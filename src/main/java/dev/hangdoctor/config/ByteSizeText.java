package dev.hangdoctor.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as operators write them in config files: "512MiB", "2GiB", "100M", "1048576" (binary units either way). */
public final class ByteSizeText {
    private static final Pattern P = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|K|M|G|KB|MB|GB)");

    private ByteSizeText() {
    }

    /** Parses {@code text}; throws IllegalArgumentException with one line naming {@code what} when it is no size. */
    public static long parse(String text, String what) {
        String s = text == null ? "" : text.trim();
        Matcher m = P.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a size (examples: 512MiB, 2GiB)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K", "KB", "KIB" -> n << 10;
            case "M", "MB", "MIB" -> n << 20;
            case "G", "GB", "GIB" -> n << 30;
            default -> n;
        };
    }
}
