package dev.tandem.rpc;

import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.grpc.reflection.service.ReflectionServiceV1;
import io.quarkus.grpc.reflection.service.ReflectionServiceV1alpha;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every RPC Tandem serves, decorated once and looked up by every protocol edge: the application's
 * services (the beans annotated {@link RpcService}, e.g. {@code UserGrpcService}), the
 * standard health service {@code grpc.health.v1.Health} and, unless switched off, server reflection
 * ({@code grpc.reflection.v1.ServerReflection} and {@code v1alpha}, which grpcurl and Postman use).
 *
 * <p>Each service goes through {@link ServiceDecorator} with every {@link ServerInterceptor} bean of
 * the application (Tandem's are annotated {@link GlobalInterceptor} by convention; Quarkus's own
 * {@code io.quarkus.*} interceptors, which belong to its gRPC server, are left out), highest {@link
 * Prioritized#getPriority() priority} outermost ({@link InterceptorOrder}). Built once, on first use (the protocol edges ask for it when Quarkus builds its
 * HTTP router); immutable afterwards, so lookups need no lock.
 */
@ApplicationScoped
public class RpcRegistry {

    private static final Logger LOG = Logger.getLogger(RpcRegistry.class);

    @ConfigProperty(name = "tandem.grpc.reflection.enabled", defaultValue = "true")
    boolean reflection;

    @Inject
    @RpcService
    Instance<Object> beans;

    @Inject
    RpcWorkers.Config workerConfig;

    private volatile ExecutorService workers;

    @Inject
    @Any
    Instance<ServerInterceptor> interceptorBeans;

    private volatile Built built;

    private record Built(List<ServerServiceDefinition> services, List<ServerServiceDefinition> application,
            Map<String, ServerMethodDefinition<?, ?>> methods,
            List<ServiceDecorator.Dispatch> dispatch, HealthService health) {
    }

    /** @return the decorated services, application services first, in bean order */
    public List<ServerServiceDefinition> services() {
        return built().services();
    }

    /**
     * @return the application's own services (the {@link RpcService} beans), decorated, without health
     *     and reflection
     */
    public List<ServerServiceDefinition> applicationServices() {
        return built().application();
    }

    /**
     * @param fullMethodName e.g. {@code user.v1.UserService/GetUserById}
     * @return the decorated method, or {@code null} when no service has it
     */
    public ServerMethodDefinition<?, ?> method(String fullMethodName) {
        return built().methods().get(fullMethodName);
    }

    /** @return how each method is dispatched (offloaded to a worker or not), in registration order */
    public List<ServiceDecorator.Dispatch> dispatch() {
        return built().dispatch();
    }

    /**
     * Reports every service {@code NOT_SERVING} on {@code grpc.health.v1.Health} from now on (the
     * server is shutting down); later status changes are ignored.
     */
    public void healthNotServing() {
        built().health().enterTerminalState();
    }

    private Built built() {
        Built b = built;
        if (b == null) {
            synchronized (this) {
                b = built;
                if (b == null) {
                    b = build();
                    built = b;
                }
            }
        }
        return b;
    }

    private Built build() {
        List<ServerInterceptor> interceptors = interceptors();
        ExecutorService pool = RpcWorkers.pool(workerConfig.workerThreads());
        workers = pool;
        List<ServerServiceDefinition> services = new ArrayList<>();
        List<ServiceDecorator.Dispatch> dispatch = new ArrayList<>();
        for (Instance.Handle<Object> h : beans.handles()) {
            Class<?> implementation = h.getBean().getBeanClass();
            services.add(ServiceDecorator.decorate(bind(h.get()), implementation, interceptors, pool, dispatch));
        }
        List<ServerServiceDefinition> application = List.copyOf(services);
        List<ServerServiceDefinition> undecorated = new ArrayList<>();
        for (Instance.Handle<Object> h : beans.handles()) {
            undecorated.add(bind(h.get()));
        }
        HealthService health = new HealthService();
        services.add(ServiceDecorator.decorate(grpc.health.v1.HealthGrpc.bindService(health), HealthService.class,
                interceptors, pool, dispatch));
        if (reflection) {
            services.add(ServiceDecorator.decorate(new ReflectionServiceV1(undecorated).bindService(), null,
                    interceptors, null, dispatch));
            services.add(ServiceDecorator.decorate(new ReflectionServiceV1alpha(undecorated).bindService(), null,
                    interceptors, null, dispatch));
        }
        Map<String, ServerMethodDefinition<?, ?>> methods = new HashMap<>();
        for (ServerServiceDefinition s : services) {
            String name = s.getServiceDescriptor().getName();
            if (methods.keySet().stream().anyMatch(m -> m.startsWith(name + "/"))) {
                throw new IllegalStateException("two beans serve gRPC service " + name);
            }
            s.getMethods().forEach(m -> methods.put(m.getMethodDescriptor().getFullMethodName(), m));
            health.setStatus(name, ServingStatus.SERVING);
        }
        health.setStatus("", ServingStatus.SERVING);
        LOG.debugf("RPC services %s with interceptors %s", services.stream()
                .map(s -> s.getServiceDescriptor().getName()).toList(), interceptors);
        return new Built(List.copyOf(services), application, Map.copyOf(methods), List.copyOf(dispatch), health);
    }

    /**
     * @param service a {@link BindableService}, or an implementation of a generated {@code
     *     <Service>Grpc.AsyncService}
     * @return the service bound by its own {@code bindService} or the generated static one
     * @throws IllegalStateException when it is neither
     */
    static ServerServiceDefinition bind(Object service) {
        if (service instanceof BindableService b) {
            return b.bindService();
        }
        for (Class<?> c = service.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getSimpleName().equals("AsyncService") && i.getEnclosingClass() != null) {
                    try {
                        return (ServerServiceDefinition) i.getEnclosingClass().getMethod("bindService", i).invoke(null, service);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot bind " + c.getName() + " as " + i.getName(), e);
                    }
                }
            }
        }
        throw new IllegalStateException(service.getClass().getName()
                + " is annotated @RpcService but implements no generated <Service>Grpc.AsyncService");
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        ExecutorService w = workers;
        if (w != null) {
            w.shutdown();
        }
    }

    private List<ServerInterceptor> interceptors() {
        List<ServerInterceptor> out = new ArrayList<>();
        for (Instance.Handle<ServerInterceptor> h : interceptorBeans.handles()) {
            Class<?> c = h.getBean().getBeanClass();
            if (!c.getName().startsWith("io.quarkus.")) { // Quarkus's own belong to its gRPC server
                out.add(h.get());
            }
        }
        out.sort(Comparator.comparingInt(RpcRegistry::priority).reversed()); // highest first: outermost
        return List.copyOf(out);
    }

    private static int priority(ServerInterceptor i) {
        return i instanceof Prioritized p ? p.getPriority() : 0;
    }
}
