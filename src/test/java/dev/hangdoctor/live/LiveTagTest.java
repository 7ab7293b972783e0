package dev.hangdoctor.live;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test that makes real hangs or reads this machine's /proc carries {@code @Tag("live")} (on its class or its
 * method), so {@code mvn verify -P'!live'} leaves the host alone. The sources are the spec: a test method that calls
 * {@code LivePreconditions.assume...} or names the live root ({@code Path.of("/")}, {@code Path.of("/proc...")}) must
 * be tagged.
 */
class LiveTagTest {
    private static final Pattern LIVE_CALL = Pattern.compile("LivePreconditions\\.assume|Path\\.of\\(\"/(proc[^\"]*)?\"");
    private static final Pattern TEST = Pattern.compile("@(Test|ParameterizedTest|FuzzTest)\\b");

    @Test
    void everyTestThatTouchesTheLiveHostIsTaggedLive() throws IOException {
        List<String> untagged = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                int classAt = src.indexOf("\nclass ");
                boolean classTagged = classAt > 0 && src.lastIndexOf("@Tag(\"live\")", classAt) >= 0;
                if (classAt < 0 || classTagged || !TEST.matcher(src).find()) {
                    continue;
                }
                Matcher m = LIVE_CALL.matcher(src);
                while (m.find()) {
                    Matcher t = TEST.matcher(src);
                    int testAt = -1;
                    while (t.find() && t.start() < m.start()) {
                        testAt = t.start();
                    }
                    if (testAt < 0) {
                        continue; // a helper above the tests (fields, setup): the tests calling it are checked
                    }
                    int blockStart = src.lastIndexOf(";", testAt);
                    int braceStart = src.lastIndexOf("}", testAt);
                    String annotations = src.substring(Math.max(blockStart, braceStart) + 1, testAt + 30);
                    if (!annotations.contains("@Tag(\"live\")")) {
                        untagged.add(f + " near offset " + m.start());
                    }
                }
            }
        }
        assertThat(untagged).as("tests touching the live host without @Tag(\"live\")").isEmpty();
    }
}
