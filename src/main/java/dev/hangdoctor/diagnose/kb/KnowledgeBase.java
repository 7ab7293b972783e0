package dev.hangdoctor.diagnose.kb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * The known hangs: the built-in rule files listed in the classpath's kb/index.txt (a jar cannot be listed
 * portably) plus every *.yaml, *.yml and *.json in the user's directories. A user rule with the id of a built-in
 * (or of a rule in an earlier directory) replaces it. A bad file costs one line in {@link #errors()}, never the
 * other rules.
 */
public final class KnowledgeBase {
    /** Classpath folder of the built-in rules. */
    public static final String BUILT_IN_DIR = "kb/";
    private static final long MAX_FILE_BYTES = 1 << 20;

    private final List<Rule> rules;
    private final List<String> errors;

    private KnowledgeBase(List<Rule> rules, List<String> errors) {
        this.rules = List.copyOf(rules);
        this.errors = List.copyOf(errors);
    }

    /** The built-in rules as parsed once in this process (they are in the jar and cannot change while it runs). */
    private record BuiltIns(Map<String, Rule> byId, List<String> errors) {
    }

    private static FutureTask<BuiltIns> builtIns;

    /**
     * Starts parsing the built-in rules on a thread of their own, so a command that will diagnose has them by the
     * time its evidence is read (parsing them is about a third of a small {@code analyze}'s run: YAML, patterns and
     * cold code). Later calls, and {@link #load} after this, do not parse them again.
     */
    public static void preloadBuiltIns() {
        FutureTask<BuiltIns> task;
        synchronized (KnowledgeBase.class) {
            if (builtIns != null) {
                return;
            }
            task = new FutureTask<>(KnowledgeBase::parseBuiltIns);
            builtIns = task;
        }
        Thread t = new Thread(task, "kb-preload");
        t.setDaemon(true);
        t.start();
    }

    private static BuiltIns builtIns() {
        FutureTask<BuiltIns> task;
        boolean here = false;
        synchronized (KnowledgeBase.class) {
            if (builtIns == null) {
                builtIns = new FutureTask<>(KnowledgeBase::parseBuiltIns);
                here = true;
            }
            task = builtIns;
        }
        if (here) {
            task.run();
        }
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the built-in rules were read", e);
        } catch (ExecutionException e) {
            // parseBuiltIns catches what a rule file can cause: only an Error (out of memory) arrives here
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static BuiltIns parseBuiltIns() {
        Map<String, Rule> byId = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (String name : builtInNames(errors)) {
            String where = BUILT_IN_DIR + name;
            String text = readResource(where);
            if (text == null) {
                errors.add(where + ": listed in " + BUILT_IN_DIR + "index.txt but not on the classpath");
                continue;
            }
            add(byId, errors, where, text, isJson(name), false);
        }
        return new BuiltIns(Collections.unmodifiableMap(byId), List.copyOf(errors));
    }

    /** Built-ins, then each directory in order (later ones win on equal ids). */
    public static KnowledgeBase load(List<Path> userDirs) {
        BuiltIns built = builtIns();
        Map<String, Rule> byId = new TreeMap<>(built.byId());
        List<String> errors = new ArrayList<>(built.errors());
        for (Path dir : userDirs == null ? List.<Path>of() : userDirs) {
            if (!Files.isDirectory(dir)) {
                errors.add(dir + ": not a directory");
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> isRuleFile(p.getFileName().toString()) && Files.isRegularFile(p)).sorted().toList();
            } catch (IOException e) {
                errors.add(dir + ": cannot list: " + e.getMessage());
                continue;
            }
            Map<String, String> seenHere = new TreeMap<>();
            for (Path f : files) {
                String text;
                try {
                    if (Files.size(f) > MAX_FILE_BYTES) {
                        errors.add(f + ": larger than 1 MiB, not a rule file");
                        continue;
                    }
                    text = Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    errors.add(f + ": cannot read: " + e.getMessage());
                    continue;
                }
                Rule r = add(byId, errors, f.toString(), text, isJson(f.getFileName().toString()), true);
                if (r != null) {
                    String other = seenHere.putIfAbsent(r.id(), f.toString());
                    if (other != null) {
                        errors.add(f + ": id '" + r.id() + "' is also used by " + other + " in the same directory; "
                                + "this file wins because it sorts later");
                    }
                }
            }
        }
        return new KnowledgeBase(new ArrayList<>(byId.values()), errors);
    }

    /** A knowledge base of exactly these rules (for tests and embedding). */
    public static KnowledgeBase of(List<Rule> rules) {
        Map<String, Rule> byId = new TreeMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        return new KnowledgeBase(new ArrayList<>(byId.values()), List.of());
    }

    /** Parses one rule file's text; the error message says what is wrong (for `rules check`-style commands). */
    public static Rule parseRule(String text, boolean json, String source) {
        return RuleParser.parse(text, json, source);
    }

    private static Rule add(Map<String, Rule> byId, List<String> errors, String where, String text, boolean json,
                            boolean user) {
        try {
            Rule r = RuleParser.parse(text, json, where);
            Rule old = byId.get(r.id());
            if (old != null && !user) {
                errors.add(where + ": id '" + r.id() + "' is already used by " + old.source());
                return null;
            }
            byId.put(r.id(), r);
            return r;
        } catch (IllegalArgumentException e) {
            errors.add(where + ": " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            // a parser bug must not cost the other rules
            errors.add(where + ": unreadable rule (" + e + ")");
            return null;
        }
    }

    /** Rules sorted by id. */
    public List<Rule> rules() {
        return rules;
    }

    /** One line per bad file: "<file>: <what is wrong>". */
    public List<String> errors() {
        return errors;
    }

    public Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** File names listed in kb/index.txt, in order; blank lines and '#' comments skipped. */
    public static List<String> builtInNames() {
        return builtInNames(new ArrayList<>());
    }

    private static List<String> builtInNames(List<String> errors) {
        String index = readResource(BUILT_IN_DIR + "index.txt");
        if (index == null) {
            errors.add(BUILT_IN_DIR + "index.txt: missing from the classpath; no built-in rules loaded");
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String line : index.split("\n")) {
            String n = line.trim();
            if (!n.isEmpty() && !n.startsWith("#")) {
                names.add(n);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * The built-in knowledge base's version: how many rule files and the first 12 hex digits of a SHA-256 over their
     * names and texts ("18-3fa2c1d0e9b7"). It changes exactly when a built-in rule changes, so a fleet can tell
     * which nodes diagnose with which rules.
     */
    public static String builtInVersion() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            List<String> names = builtInNames();
            for (String n : names) {
                String text = readResource(BUILT_IN_DIR + n);
                md.update((n + "\0" + (text == null ? "" : text) + "\0").getBytes(StandardCharsets.UTF_8));
            }
            return names.size() + "-" + java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String readResource(String name) {
        ClassLoader cl = KnowledgeBase.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) > 0) {
                    sb.append(buf, 0, n);
                }
            }
            return sb.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isRuleFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }

    private static boolean isJson(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".json");
    }
}
