package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.act.Action;
import dev.hangdoctor.act.ActionOutcome;
import dev.hangdoctor.act.FixResult;
import dev.hangdoctor.act.Verification;

import java.time.Instant;
import java.util.List;

/**
 * The `fix --json` view (its shape is in the README), built field by field so a renamed Java field never changes what
 * other tools read. The agent's incidents record their remedies with the same {@link #step} and {@link #check}.
 */
public final class FixJsonView {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FixJsonView() {
    }

    public static String render(FixResult r) {
        try {
            return MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toTree(r));
        } catch (Exception e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    public static ObjectNode toTree(FixResult r) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("dryRun", r.dryRun());
        if (r.fusectl() != null) {
            doc.put("fusectl", r.fusectl());
        }
        doc.set("diagnosis", JsonReport.toTree(r.diagnosis()));
        ArrayNode plan = doc.putArray("plan");
        r.finalPlan().actions().forEach(a -> plan.add(planned(a)));
        ArrayNode notes = doc.putArray("notes");
        r.finalPlan().notes().forEach(notes::add);
        r.climbNotes().forEach(notes::add);
        ArrayNode ladder = doc.putArray("ladder");
        for (FixResult.Ladder l : r.ladder()) {
            ladder.addObject().put("finding", l.finding()).put("first", l.first()).put("ifStillStuck", l.ifStillStuck());
        }
        if (r.rediagnosedAfter() != null) {
            doc.put("rediagnosedAfterMs", r.rediagnosedAfter().toMillis());
        }
        steps(doc, "results", r.results());
        if (r.auditLog() != null) {
            doc.put("auditLog", r.auditLog().toString());
        }
        if (r.verification() != null) {
            ArrayNode v = doc.putArray("verification");
            r.verification().forEach(c -> v.add(check(c.outcome(), c.step(), null)));
        }
        steps(doc, "climbed", r.climbed());
        steps(doc, "restored", r.restored());
        return doc;
    }

    /** A planned step: what it is for, what it touches and the exact commands. */
    public static ObjectNode planned(Action a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("action", a.id()).put("finding", a.finding()).put("summary", a.summary());
        a.touches().forEach(o.putArray("touches")::add);
        a.commands().forEach(o.putArray("commands")::add);
        return o;
    }

    /** A step taken (or refused): the planned step with its result, the state before and after, and when. */
    public static ObjectNode step(ActionOutcome out) {
        ObjectNode o = planned(out.action());
        o.put("result", out.result()).put("before", out.before()).put("after", out.after())
                .put("time", out.time().toString());
        return o;
    }

    /** One verification; {@code step} (the ladder rung it followed) and {@code time} are left out when null. */
    public static ObjectNode check(Verification.Outcome v, String step, Instant time) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("signature", v.signature()).put("verdict", v.verdict()).put("detail", v.detail());
        if (step != null) {
            o.put("step", step);
        }
        if (time != null) {
            o.put("time", time.toString());
        }
        return o;
    }

    /** The checks made after a remedy, each with the time it was made. */
    public static ArrayNode checks(List<Verification.Outcome> outcomes, Instant time) {
        ArrayNode a = MAPPER.createArrayNode();
        outcomes.forEach(v -> a.add(check(v, null, time)));
        return a;
    }

    /** No remedy was planned for an incident, and why. */
    public static ObjectNode noRemedy(String why, Instant time) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", time.toString()).putNull("action");
        o.put("result", "none: " + why);
        return o;
    }

    private static void steps(ObjectNode doc, String name, List<ActionOutcome> outcomes) {
        if (outcomes != null) {
            ArrayNode a = doc.putArray(name);
            outcomes.forEach(o -> a.add(step(o)));
        }
    }
}
