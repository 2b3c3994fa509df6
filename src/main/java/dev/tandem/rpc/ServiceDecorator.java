package dev.tandem.rpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * The one mechanism that turns a service's own {@link ServerServiceDefinition} into what every
 * protocol edge serves. For each method, outermost first:
 *
 * <ol>
 *   <li>the interceptors, highest {@link InterceptorOrder priority} first, on the thread that
 *       delivers the call (an event loop): request id, metrics, drain, auth, etag, deadline,
 *       validation;</li>
 *   <li>{@link CallGuard}: client faults to {@code INVALID_ARGUMENT}, service exceptions through
 *       {@link ErrorMapping};</li>
 *   <li>{@link OffloadingHandler}: the service code on a worker, unless the implementation method is
 *       annotated {@link RunsOnEventLoop} (CPU-only code that may run on the event loop, such as {@code
 *       SayHello});</li>
 *   <li>the service's own handler (grpc-java's generated stub).</li>
 * </ol>
 *
 * The request marshaller is made {@link CallGuard#tolerant tolerant}, so a malformed message reaches
 * the guard as {@code null}. A service therefore consists of its methods only: it neither offloads,
 * maps errors nor checks its input's framing itself.
 */
public final class ServiceDecorator {

    private ServiceDecorator() {
    }

    /**
     * How one method is dispatched.
     *
     * @param fullMethodName e.g. {@code user.v1.UserService/GetUserById}
     * @param offloaded whether its service code runs on a worker (not annotated {@link RunsOnEventLoop})
     */
    public record Dispatch(String fullMethodName, boolean offloaded) {
    }

    /**
     * @param service the service as its implementation binds it
     * @param implementation the implementation class, whose methods may carry {@link RunsOnEventLoop}
     * @param interceptors the interceptors, highest priority (outermost) first
     * @param pool where blocking service code runs; {@code null} runs every method on the calling thread
     * @param dispatch receives how each method is dispatched
     * @return the decorated service, with the same service descriptor (schema descriptor included,
     *     which reflection and the transcoder read)
     */
    public static ServerServiceDefinition decorate(ServerServiceDefinition service, Class<?> implementation,
            List<ServerInterceptor> interceptors, Executor pool, List<Dispatch> dispatch) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            boolean offloaded = pool != null && !nonBlocking(implementation, m.getMethodDescriptor().getBareMethodName());
            ServerMethodDefinition<?, ?> decorated = decorate(m, interceptors, offloaded ? pool : null);
            methods.add(decorated);
            descriptor.addMethod(decorated.getMethodDescriptor());
            dispatch.add(new Dispatch(m.getMethodDescriptor().getFullMethodName(), offloaded));
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(b::addMethod);
        return b.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> decorate(ServerMethodDefinition<Q, R> m,
            List<ServerInterceptor> interceptors, Executor pool) {
        ServerCallHandler<Q, R> handler = m.getServerCallHandler();
        if (pool != null) {
            handler = new OffloadingHandler<>(handler, pool);
        }
        handler = new CallGuard<>(handler);
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            ServerInterceptor interceptor = interceptors.get(i);
            ServerCallHandler<Q, R> next = handler;
            handler = (call, headers) -> interceptor.interceptCall(call, headers, next);
        }
        MethodDescriptor<Q, R> method = CallGuard.tolerant(m.getMethodDescriptor());
        return ServerMethodDefinition.create(method, handler);
    }

    /**
     * @return whether the implementation's method for the RPC (grpc-java's lowerCamelCase name) is
     *     annotated {@link RunsOnEventLoop}
     */
    private static boolean nonBlocking(Class<?> implementation, String rpcName) {
        if (implementation == null) {
            return false;
        }
        String javaName = Character.toLowerCase(rpcName.charAt(0)) + rpcName.substring(1);
        for (Class<?> c = implementation; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.getName().equals(javaName) || method.getName().toLowerCase(Locale.ROOT)
                        .equals(javaName.toLowerCase(Locale.ROOT))) {
                    if (method.isAnnotationPresent(RunsOnEventLoop.class)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
