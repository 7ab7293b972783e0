package dev.hangdoctor.watch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTML reports of incidents, made once per version of the incident: diagnosing a bundle again costs tens of
 * milliseconds of CPU, and the page can be asked for by anyone who reaches the API. At most {@code capacity} pages are
 * kept (least recently used go first), and a new page is made at most once per {@code minIntervalNanos}: a flood of
 * requests for different incidents gets "busy" answers instead of a diagnosis each.
 */
final class ReportCache {
    private record Page(String version, byte[] html) {
    }

    private final int capacity;
    private final long minIntervalNanos;
    private final Map<String, Page> pages;
    private long lastMadeAt;
    private boolean made;

    ReportCache(int capacity, long minIntervalNanos) {
        this.capacity = capacity;
        this.minIntervalNanos = minIntervalNanos;
        this.pages = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * The page of incident {@code id} at {@code version}: from the cache, or made now by {@code make}; null when a page
     * was made less than the minimum interval ago (the caller answers "retry later"). One page is made at a time.
     */
    synchronized byte[] get(String id, String version, Supplier<byte[]> make) {
        Page p = pages.get(id);
        if (p != null && p.version.equals(version)) {
            return p.html;
        }
        long now = System.nanoTime();
        if (made && now - lastMadeAt < minIntervalNanos) {
            return null;
        }
        made = true;
        lastMadeAt = now;
        byte[] html = make.get();
        pages.put(id, new Page(version, html));
        while (pages.size() > capacity) {
            pages.remove(pages.keySet().iterator().next());
        }
        return html;
    }
}
