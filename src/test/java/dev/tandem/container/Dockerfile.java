package dev.tandem.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its build stages and instructions, enough for the offline checks of {@link
 * DockerfilesTest} and for laying out the JVM image's files in {@code GracefulShutdownIT}. Handles
 * comments, line continuations, {@code FROM image [AS name]} and flags such as {@code --from=},
 * {@code --chown=}; it does not expand {@code ARG}s (Tandem's Dockerfiles have none).
 *
 * @param path where it was read from
 * @param stages its stages, in order; the last is the image
 */
public record Dockerfile(Path path, List<Stage> stages) {

    /** One instruction: its keyword (upper case), its {@code --flags} and its other arguments. */
    public record Instruction(String keyword, List<String> flags, List<String> args, String raw) {

        /**
         * @param name flag name without dashes, e.g. {@code from}
         * @return its value, or {@code null} when absent
         */
        public String flag(String name) {
            for (String f : flags) {
                if (f.startsWith("--" + name + "=")) {
                    return f.substring(name.length() + 3);
                }
            }
            return null;
        }
    }

    /** One stage: its base image, its name (or {@code null}) and its instructions after {@code FROM}. */
    public record Stage(String image, String name, List<Instruction> instructions) {

        /**
         * @param keyword e.g. {@code COPY}
         * @return this stage's instructions with that keyword, in order
         */
        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /**
         * @param keyword e.g. {@code USER}
         * @return the last such instruction (the one in effect), or {@code null}
         */
        public Instruction last(String keyword) {
            List<Instruction> l = all(keyword);
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }
    }

    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");

    /**
     * @param path a Dockerfile
     * @return it, parsed
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when an instruction comes before the first {@code FROM}
     */
    public static Dockerfile read(Path path) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(path)) {
            String t = line.strip();
            if (current.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (t.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            logical.add(current.toString().strip());
            current.setLength(0);
        }
        List<Stage> stages = new ArrayList<>();
        for (String l : logical) {
            Matcher from = FROM.matcher(l);
            if (from.matches()) {
                stages.add(new Stage(from.group(1), from.group(2), new ArrayList<>()));
                continue;
            }
            if (stages.isEmpty()) {
                throw new IllegalArgumentException(path + ": instruction before FROM: " + l);
            }
            String[] words = l.split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            List<String> flags = new ArrayList<>();
            List<String> args = new ArrayList<>();
            for (int i = 1; i < words.length; i++) {
                if (args.isEmpty() && words[i].startsWith("--")) {
                    flags.add(words[i]);
                } else {
                    args.add(words[i]);
                }
            }
            stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, flags, args, l));
        }
        return new Dockerfile(path, List.copyOf(stages));
    }

    /** @return the last stage, the one that becomes the image */
    public Stage image() {
        return stages.get(stages.size() - 1);
    }

    /**
     * @param name a stage name
     * @return the stage of that name
     * @throws IllegalArgumentException when there is none
     */
    public Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(path + " has no stage " + name));
    }
}
