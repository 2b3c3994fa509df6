package dev.tandem.reliability;

import dev.tandem.PackagedApp;
import dev.tandem.client.PublishedServiceConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-side plumbing for several Tandem processes on one database: starting a replica, a grpc-java
 * channel that spreads calls over all of them the way a client of the published service config
 * does, and a recorder of every call's outcome and the replica that answered it.
 */
final class Replicas {

    /** The name-resolver scheme of {@link #balancedChannel}. */
    static final String SCHEME = "tandem-replicas";

    private static final Pattern RPC_COUNT = Pattern.compile("(?m)^tandem_rpc_server_seconds_count\\{([^}]*)} ([0-9.eE+]+)$");

    private Replicas() {
    }

    /**
     * Starts one replica: the packaged application, prod profile, authentication off (these tests
     * are about replicas; auth: ProductionSecurityIT), demo data off, a short shutdown delay.
     *
     * @param work a directory of its own (jar layout and app.log)
     * @param port its HTTP port
     * @param jdbcUrl the shared database
     */
    static PackagedApp start(Path work, int port, String jdbcUrl) throws IOException {
        return PackagedApp.start(work, port, Map.of(
                "QUARKUS_PROFILE", "prod",
                "TANDEM_AUTH_ENABLED", "false",
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "TANDEM_DEMO_DATA_ENABLED", "false",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false",
                "QUARKUS_SHUTDOWN_DELAY", "1s",
                "QUARKUS_SHUTDOWN_TIMEOUT", "20s"));
    }

    /**
     * A grpc-java channel over every port, as a client of Tandem's published service config sees
     * a Deployment: a static name resolver gives one address per replica, and the config ({@link
     * PublishedServiceConfig}) asks for {@code round_robin}, client-side health checks and retries of
     * {@code UNAVAILABLE}.
     *
     * @param ports the replicas' ports on 127.0.0.1
     * @param retry {@code false} to switch the retry policy off ({@code disableRetry()}), so that a
     *     test sees each failure
     */
    @SuppressWarnings("deprecation") // nameResolverFactory: the in-tree way to give a channel its own resolver
    static ManagedChannel balancedChannel(List<Integer> ports, boolean retry) {
        List<EquivalentAddressGroup> groups = ports.stream()
                .map(p -> new EquivalentAddressGroup(new InetSocketAddress("127.0.0.1", p))).toList();
        NameResolverProvider resolver = new NameResolverProvider() {
            @Override
            protected boolean isAvailable() {
                return true;
            }

            @Override
            protected int priority() {
                return 5;
            }

            @Override
            public String getDefaultScheme() {
                return SCHEME;
            }

            @Override
            public NameResolver newNameResolver(URI target, NameResolver.Args args) {
                return new NameResolver() {
                    @Override
                    public String getServiceAuthority() {
                        return "tandem";
                    }

                    @Override
                    public void start(Listener2 listener) {
                        listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
                    }

                    @Override
                    public void shutdown() {
                    }
                };
            }
        };
        ManagedChannelBuilder<?> b = ManagedChannelBuilder.forTarget(SCHEME + ":///tandem").nameResolverFactory(resolver)
                .defaultServiceConfig(PublishedServiceConfig.map()).usePlaintext();
        return (retry ? b.enableRetry() : b.disableRetry()).build();
    }

    /**
     * The count of RPCs a replica has served, from its own metrics (the per-RPC timer of
     * {@code RpcMetricsInterceptor}).
     *
     * @param protocol {@code grpc} or {@code rest}
     * @param method a bare method name such as {@code UpdateUser}
     * @return the sum over every status code
     */
    static long served(HttpClient http, int port, String protocol, String method) throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = RPC_COUNT.matcher(metrics);
        long sum = 0;
        while (m.find()) {
            if (m.group(1).contains("protocol=\"" + protocol + "\"") && m.group(1).contains("method=\"" + method + "\"")) {
                sum += (long) Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** One finished gRPC call as its client saw it. */
    record Call(String method, long startNanos, long endNanos, Status.Code code, String description, int port) {

        long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }

        @Override
        public String toString() {
            return method + " " + code + (description == null ? "" : " (" + description + ")") + " after " + millis()
                    + " ms from port " + (port < 0 ? "none" : port);
        }
    }

    /**
     * Records every call made through the channels it intercepts: method, start, end, status and the
     * replica whose transport carried it (the committed attempt's, after retries; -1 when no
     * transport was chosen).
     */
    static final class Recorder implements ClientInterceptor {

        final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            long start = System.nanoTime();
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    ClientCall<Q, R> call = this;
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                            calls.add(new Call(method.getBareMethodName(), start, System.nanoTime(), status.getCode(),
                                    status.getDescription(),
                                    remote instanceof InetSocketAddress a ? a.getPort() : -1));
                            super.onClose(status, trailers);
                        }
                    }, headers);
                }
            };
        }
    }
}
