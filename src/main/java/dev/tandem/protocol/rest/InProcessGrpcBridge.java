package dev.tandem.protocol.rest;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.quarkus.arc.Arc;
import io.quarkus.arc.Subclass;
import io.quarkus.grpc.runtime.GrpcContainer;
import io.quarkus.grpc.runtime.ServerInterceptorStorage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Serves the application's gRPC services a second time, through grpc-java's in-process transport,
 * so that a transcoded REST call runs the same service implementation behind the same server
 * interceptors as a gRPC call, without a network hop or a serialisation: the in-process transport
 * hands the request message object itself to the service.
 *
 * <p>Services are the {@link BindableService} beans Quarkus serves ({@code @GrpcService}); each is
 * wrapped with the same interceptors Quarkus applies: the {@code @GlobalInterceptor} beans and the
 * service's {@code @RegisterInterceptor} ones, highest {@link Prioritized#getPriority() priority}
 * called first. Quarkus's {@code @Blocking} dispatch is not applied here: services must not block
 * the calling thread (ours offload to the worker pool themselves). Both server and channel use a
 * direct executor: a call runs on the thread that starts it, the Vert.x event loop of the REST
 * request, until the service hands off.
 *
 * <p>The channel leaves idle mode at start-up and never goes back. Quarkus stores the gRPC {@code
 * Context} in the Vert.x duplicated context, and its storage does not restore {@code Context.ROOT}
 * when a context is detached; while a channel leaves idle mode, grpc-java runs the queued work of
 * other calls (their server side included) on the thread of the next new call, which then inherited
 * the server {@code Context} of another REST call and was cancelled ({@code CANCELLED}, REST 499)
 * when that call ended. Seen with concurrent first REST calls (ConcurrentUpdateRaceTest,
 * RequestTimeoutTest).
 */
@ApplicationScoped
public class InProcessGrpcBridge {

    private static final Logger LOG = Logger.getLogger(InProcessGrpcBridge.class);

    /** grpc-java turns idle mode off for an idle timeout of more than 30 days. */
    private static final long IDLE_MODE_OFF_DAYS = 31;

    @Inject
    GrpcContainer container;

    @Inject
    ServerInterceptorStorage interceptorStorage;

    private volatile Server server;
    private volatile ManagedChannel channel;
    private volatile List<ServerServiceDefinition> services;

    /**
     * Starts the in-process server on first use.
     *
     * @return the bound services, with their interceptors, in bean order
     */
    public synchronized List<ServerServiceDefinition> services() {
        if (services == null) {
            start();
        }
        return services;
    }

    /** @return a channel to the in-process server; calls on it run on the caller's thread */
    public ManagedChannel channel() {
        services();
        return channel;
    }

    private void start() {
        List<ServerInterceptor> global = instances(interceptorStorage.getGlobalInterceptors());
        List<ServerServiceDefinition> defs = new ArrayList<>();
        String name = "tandem-transcoding-" + UUID.randomUUID();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        for (BindableService service : container.getServices()) {
            List<ServerInterceptor> chain = new ArrayList<>(global);
            chain.addAll(instances(interceptorStorage.getInterceptors(implementationClass(service))));
            chain.sort(Comparator.comparingInt(InProcessGrpcBridge::priority)); // ascending:
            // ServerInterceptors.intercept calls the last one first, so the highest priority runs first
            ServerServiceDefinition def = ServerInterceptors.intercept(service.bindService(), chain);
            builder.addService(def);
            defs.add(def);
            LOG.debugf("Transcoding bridge serves %s with interceptors %s",
                    def.getServiceDescriptor().getName(), chain);
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the in-process gRPC server", e);
        }
        // Never idle, and out of idle mode now: a channel that is leaving idle mode holds new calls as
        // pending calls and runs queued work of other calls on the caller's thread, where it can leave
        // another call's gRPC Context attached (see the class comment); a ready channel does neither.
        channel = InProcessChannelBuilder.forName(name).directExecutor()
                .idleTimeout(IDLE_MODE_OFF_DAYS, TimeUnit.DAYS).build();
        channel.getState(true);
        services = List.copyOf(defs);
    }

    private static String implementationClass(BindableService service) {
        Class<?> c = service.getClass();
        return (service instanceof Subclass ? c.getSuperclass() : c).getName();
    }

    private static List<ServerInterceptor> instances(Set<Class<?>> classes) {
        List<ServerInterceptor> out = new ArrayList<>();
        for (Class<?> c : classes) {
            Object bean = Arc.container().select(c, Any.Literal.INSTANCE).get();
            out.add((ServerInterceptor) bean);
        }
        return out;
    }

    private static int priority(ServerInterceptor i) {
        return i instanceof Prioritized p ? p.getPriority() : 0;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
