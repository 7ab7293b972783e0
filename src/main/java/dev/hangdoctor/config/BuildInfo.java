package dev.hangdoctor.config;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What this build is: version and commit (written by the build into build.properties) and the knowledge base's version. */
public record BuildInfo(String version, String commit, String kbVersion) {
    private static final String RESOURCE = "dev/hangdoctor/build.properties";
    private static volatile BuildInfo current;

    /** This build's facts; "unknown" for what the build could not say (no git checkout, classes run unpackaged). */
    public static BuildInfo current() {
        BuildInfo b = current;
        if (b == null) {
            Properties p = new Properties();
            try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // an unreadable resource in our own jar: report unknown rather than fail the agent
            }
            String commit = known(p.getProperty("commit"));
            if (!commit.equals("unknown") && "true".equals(p.getProperty("dirty"))) {
                commit += "-dirty";
            }
            b = new BuildInfo(known(p.getProperty("version")), commit, KnowledgeBase.builtInVersion());
            current = b;
        }
        return b;
    }

    /** "hangdoctor 0.1.0 (commit 67a099387f5a, knowledge base 18-3fa2c1d0e9b7)". */
    public String line() {
        return "hangdoctor " + version + " (commit " + commit + ", knowledge base " + kbVersion + ")";
    }

    private static String known(String v) {
        // an unfiltered placeholder means the value was not known at build time
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v.trim();
    }
}
