package dev.tandem.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal reader of the Prometheus text exposition format (what {@code /q/metrics} answers): the
 * samples, each a metric name, its labels and its value. Comment lines are skipped.
 */
final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /**
     * @param text the whole exposition
     * @return its samples in order
     */
    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return out;
    }

    /**
     * @param samples parsed samples
     * @param name metric name
     * @param labels labels the sample must have (others are allowed)
     * @return the value of the one matching sample, or 0 when none matches
     */
    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> hits = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (hits.size() > 1) {
            throw new IllegalArgumentException(hits.size() + " samples match " + name + labels + ": " + hits);
        }
        return hits.isEmpty() ? 0 : hits.get(0).value();
    }
}
