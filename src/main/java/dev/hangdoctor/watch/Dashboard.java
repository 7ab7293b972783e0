package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.report.DashboardPage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Gathers the agent's live state (timeline, incidents, last scan) into the {@link DashboardPage} served at {@code /}. */
final class Dashboard {
    static final int REFRESH_SECONDS = 5;

    private Dashboard() {
    }

    static String render(WatchAgent agent) {
        Instant now = Instant.now();
        IncidentStore store = agent.tracker().store();
        List<DashboardPage.IncidentRow> rows = new ArrayList<>();
        for (ObjectNode o : agent.tracker().list()) {
            rows.add(row(o, store));
        }
        Timeline t = agent.timeline();
        return DashboardPage.render(new DashboardPage.View(now, Timeline.SPAN, t.bucket(), t.points(now), rows,
                agent.lastDiagnosis(), agent.lastScanAt(), agent.healthy(), REFRESH_SECONDS));
    }

    /** One incident.json as a row; {@code store} says whether its bundle is there to download. */
    static DashboardPage.IncidentRow row(JsonNode o, IncidentStore store) {
        String id = text(o, "id");
        return new DashboardPage.IncidentRow(id, "open".equals(text(o, "state")), text(o, "signature"),
                text(o, "title"), text(o, "blocker"), time(o, "openedAt"), time(o, "lastSeenAt"), time(o, "resolvedAt"),
                o.path("stuckTasks").asInt(), id != null && store != null && store.bundle(id) != null);
    }

    private static String text(JsonNode o, String f) {
        JsonNode n = o.get(f);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Instant time(JsonNode o, String f) {
        String s = text(o, f);
        try {
            return s == null ? null : Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
