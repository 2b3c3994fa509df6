package dev.tandem.transcoding.server;

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
 */
@ApplicationScoped
public class InProcessGrpcBridge {

    /** An idle timeout above 30 days turns the channel's idle mode off (ManagedChannelBuilder#idleTimeout). */
    private static final long IDLE_MODE_OFF_DAYS = 31;

    private static final Logger LOG = Logger.getLogger(InProcessGrpcBridge.class);

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
        // Never idle, and connected now: a channel that leaves idle mode parks the first calls as
        // pending calls and starts them later, from inside another call's newCall, with their gRPC
        // Context attached; Quarkus's Context storage does not reset a Vert.x duplicated context's
        // Context when it is detached back to ROOT, so the REST call that triggered the start
        // inherited a finished (cancelled) Context and failed 499 CANCELLED ("io.grpc.Context was
        // cancelled without error"). bench/soak.sh saw it in the first requests after start-up; with
        // the default 30-minute idle timeout it would recur after every quiet half hour.
        channel = InProcessChannelBuilder.forName(name).directExecutor()
                .idleTimeout(IDLE_MODE_OFF_DAYS, TimeUnit.DAYS) // more than 30 days: idle mode off
                .build();
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
