package dev.hangdoctor.diagnose.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A condition on a setting's value as written in settings.yaml: "== 0", "!= 0", ">= 1", "> 1", "<= 1", "< 1". */
public final class ValueTest {
    private static final Pattern FORM = Pattern.compile("^\\s*(==|!=|>=|<=|>|<)\\s*(\\S+)\\s*$");

    private final String text;
    private final String op;
    private final String operand;
    private final Long number;

    private ValueTest(String text, String op, String operand) {
        this.text = text;
        this.op = op;
        this.operand = operand;
        this.number = parseLong(operand);
    }

    /** Parses a condition; throws IllegalArgumentException saying what is wrong. */
    public static ValueTest parse(String s) {
        Matcher m = s == null ? null : FORM.matcher(s);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("bad condition '" + s + "' (write it like \"!= 0\", \"== 2\" or \">= 1\")");
        }
        ValueTest t = new ValueTest(s.trim(), m.group(1), m.group(2));
        if (t.number == null && !(t.op.equals("==") || t.op.equals("!="))) {
            throw new IllegalArgumentException("bad condition '" + s + "': " + t.op + " needs a whole number");
        }
        return t;
    }

    /** True when the value meets the condition; a value that is not a number only meets == and != on text. */
    public boolean test(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip();
        Long n = parseLong(v);
        if (n == null || number == null) {
            return switch (op) {
                case "==" -> v.equals(operand);
                case "!=" -> n == null && number == null && !v.equals(operand);
                default -> false;
            };
        }
        int c = Long.compare(n, number);
        return switch (op) {
            case "==" -> c == 0;
            case "!=" -> c != 0;
            case ">=" -> c >= 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c < 0;
        };
    }

    static Long parseLong(String s) {
        if (s == null || s.isEmpty() || s.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
