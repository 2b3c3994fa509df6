package dev.tandem;

import dev.tandem.rpc.RpcRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The gRPC services an application under test serves, for tests that must cover every one of them
 * (health, reflection) without a list that a new service could miss.
 */
public final class ServedServices {

    private ServedServices() {
    }

    /**
     * The application's registry is used when the test runs in the application's JVM ({@code
     * @QuarkusTest}, where Arc's container is up); against the packaged application ({@code
     * @QuarkusIntegrationTest}) there is no container in the test JVM.
     *
     * @return the full names of the application's own services: {@link
     *     RpcRegistry#applicationServices()} (test-only services included), or for the packaged
     *     application, which has no test services, every service of the contract in {@code
     *     src/main/proto} (each generated {@code dev.tandem.api..*Grpc} class's {@code SERVICE_NAME})
     */
    public static Set<String> application() {
        Set<String> names = new TreeSet<>();
        ArcContainer container = Arc.container();
        if (container != null) {
            RpcRegistry registry = container.instance(RpcRegistry.class).get();
            registry.applicationServices().forEach(s -> names.add(s.getServiceDescriptor().getName()));
            return names;
        }
        URI api;
        try {
            api = ServedServices.class.getClassLoader().getResource("dev/tandem/api").toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        // a directory (target/classes) or, under failsafe, a directory inside the packaged jar
        try (FileSystem jar = api.getScheme().equals("jar") ? FileSystems.newFileSystem(api, Map.of()) : null;
                Stream<Path> files = Files.walk(Path.of(api))) {
            files.map(p -> p.toString().replace('\\', '/'))
                    .filter(f -> f.endsWith("Grpc.class") && !f.contains("$") && !f.contains("/Mutiny"))
                    .map(f -> f.substring(f.indexOf("dev/tandem/api/")))
                    .forEach(f -> names.add(serviceName(f.replace('/', '.').replace(".class", ""))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static String serviceName(String grpcClass) {
        try {
            return (String) Class.forName(grpcClass).getField("SERVICE_NAME").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(grpcClass + " is not a generated gRPC class", e);
        }
    }
}
