package dev.tandem.client;

import io.grpc.internal.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The gRPC service config Tandem publishes for its clients ({@code
 * src/main/resources/META-INF/tandem/grpc-service-config.json}, documented in docs/operations.md,
 * "Clients: the published gRPC service config"), read the way grpc-java reads a service config from DNS TXT records: with
 * its own JSON parser ({@code io.grpc.internal.JsonParser}, numbers as {@code Double}), ready for
 * {@code ManagedChannelBuilder.defaultServiceConfig(Map)}.
 */
public final class PublishedServiceConfig {

    /** Class-path location of the published file. */
    public static final String RESOURCE = "META-INF/tandem/grpc-service-config.json";

    private PublishedServiceConfig() {
    }

    /** @return the JSON text of the published service config */
    public static String json() {
        try (InputStream in = PublishedServiceConfig.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the published service config as grpc-java's JSON parser gives it */
    public static Map<String, ?> map() {
        return parse(json());
    }

    /**
     * @param json a service config in JSON
     * @return it, parsed by grpc-java's JSON parser
     * @throws IllegalArgumentException when it is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, ?> parse(String json) {
        try {
            Object parsed = JsonParser.parse(json);
            if (!(parsed instanceof Map)) {
                throw new IllegalArgumentException("a service config is a JSON object: " + json);
            }
            return (Map<String, ?>) parsed;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
