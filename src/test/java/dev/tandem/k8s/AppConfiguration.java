package dev.tandem.k8s;

import dev.tandem.limits.LimitsConfig;
import dev.tandem.observability.ObservabilityConfig;
import dev.tandem.security.AuthConfig;
import dev.tandem.shutdown.DrainConfig;
import dev.tandem.protocol.rest.TranscodingConfig;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * What the application's configuration says, read the way the manifests need it: {@code
 * src/main/resources/application.properties} and Tandem's {@code @ConfigMapping} interfaces, with
 * property names in their environment-variable form (MicroProfile Config: every character that is
 * not a letter or digit becomes {@code _}, then upper case).
 */
public final class AppConfiguration {

    /**
     * Quarkus properties that a deployment legitimately sets although {@code application.properties}
     * does not name them, each for a stated reason.
     */
    private static final Set<String> ALSO_KNOWN = Set.of(
            "QUARKUS_DATASOURCE_PASSWORD",          // a secret: never in application.properties
            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT",  // where traces go once the SDK is enabled
            "QUARKUS_PROFILE",
            "JAVA_OPTS",                            // the JVM image's run-java.sh: the JVM's options
            // MicroProfile JWT's standard names, read by SmallRye JWT: no default, so not in application.properties
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "MP_JWT_VERIFY_ISSUER",
            "MP_JWT_VERIFY_AUDIENCES");

    private final Properties properties = new Properties();

    public AppConfiguration() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
    }

    /** @return {@code name} in environment-variable form */
    public static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * @param name property name without profile
     * @return its value in the prod profile ({@code %prod.} first), or {@code null}
     */
    String prod(String name) {
        String p = properties.getProperty("%prod." + name);
        return p != null ? p : properties.getProperty(name);
    }

    /** @return the HTTP port: REST, gRPC, health and metrics */
    int httpPort() {
        return Integer.parseInt(prod("quarkus.http.port"));
    }

    /**
     * @param kind {@code started}, {@code ready} or {@code live}
     * @return the SmallRye Health path of that probe, from the (default or configured) roots
     */
    String healthPath(String kind) {
        String nonApp = orDefault("quarkus.http.non-application-root-path", "q");
        String root = orDefault("quarkus.smallrye-health.root-path", "health");
        String sub = orDefault("quarkus.smallrye-health." + (kind.equals("ready") ? "readiness" : kind.equals("live")
                ? "liveness" : "startup") + "-path", kind);
        return "/" + strip(nonApp) + "/" + strip(root) + "/" + strip(sub);
    }

    /** @return a duration property of the prod profile */
    Duration duration(String name) {
        return parseDuration(prod(name));
    }

    /** @return {@code 2s}, {@code 500ms}, {@code PT2S} as a Duration */
    static Duration parseDuration(String value) {
        String v = value.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        char unit = Character.toLowerCase(v.charAt(v.length() - 1));
        long n = Long.parseLong(Character.isDigit(unit) ? v : v.substring(0, v.length() - 1));
        return switch (unit) {
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /**
     * @return the environment-variable names the application reads as configuration: every
     *     property of {@code application.properties} (profiles stripped), every property of
     *     Tandem's config mappings, and {@link #ALSO_KNOWN}
     */
    public Set<String> knownEnvNames() {
        Set<String> names = new HashSet<>(ALSO_KNOWN);
        for (String key : properties.stringPropertyNames()) {
            names.add(envName(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
        }
        for (Class<?> mapping : List.of(ObservabilityConfig.class, DrainConfig.class, TranscodingConfig.class,
                AuthConfig.class, LimitsConfig.class, dev.tandem.protocol.http.CorsConfig.class)) {
            addMapping(names, mapping.getAnnotation(ConfigMapping.class).prefix(), mapping);
        }
        return names;
    }

    private static void addMapping(Set<String> names, String prefix, Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isDefault() || m.getParameterCount() > 0 || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String name = prefix + "." + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            if (m.getReturnType().isInterface() && m.getReturnType().getEnclosingClass() == type) {
                addMapping(names, name, m.getReturnType());
            } else {
                names.add(envName(name));
            }
        }
    }

    private String orDefault(String name, String fallback) {
        String v = prod(name);
        return v == null ? fallback : v;
    }

    private static String strip(String s) {
        return s.replaceAll("^/+|/+$", "");
    }
}
