package dev.tandem.container;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a {@code .dockerignore}, applied as Docker does: patterns are relative to the context
 * root, a later rule wins over an earlier one, {@code !} re-includes, and a pattern that matches a
 * directory also matches everything under it. Globs use {@code *}, {@code ?} and {@code **} as in
 * {@link java.nio.file.FileSystem#getPathMatcher} ({@code glob:}), which agrees with Docker's on the
 * patterns Tandem uses.
 */
public final class DockerIgnore {

    private record Rule(boolean include, PathMatcher matcher, String pattern) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * @param file a {@code .dockerignore}
     * @return its rules
     * @throws IOException when it cannot be read
     */
    public static DockerIgnore read(Path file) throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            boolean include = t.startsWith("!");
            String p = (include ? t.substring(1) : t).strip();
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            rules.add(new Rule(include, FileSystems.getDefault().getPathMatcher("glob:" + p), p));
        }
        return new DockerIgnore(rules);
    }

    /**
     * @param relative a path relative to the build context, e.g. {@code src/main/java}
     * @return {@code true} when the path is sent to the Docker daemon with the context
     */
    public boolean included(Path relative) {
        boolean included = true;
        for (Rule r : rules) {
            for (Path p = relative; p != null; p = p.getParent()) {
                if (r.matcher().matches(p)) {
                    included = r.include();
                    break;
                }
            }
        }
        return included;
    }
}
