package dev.tandem.rpc;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean that implements a gRPC service (a generated {@code <Service>Grpc.AsyncService}) as
 * one Tandem serves on every protocol; {@link RpcRegistry} finds it by this qualifier, binds it with
 * the generated {@code <Service>Grpc.bindService}, and decorates it ({@link ServiceDecorator}):
 *
 * <pre>{@code
 * @Singleton
 * @RpcService
 * public class UserGrpcService implements UserServiceGrpc.AsyncService { ... }
 * }</pre>
 *
 * Not a {@code io.grpc.BindableService} bean on purpose: Quarkus's own gRPC server claims those (and
 * would want them annotated {@code @GrpcService}); Tandem serves gRPC itself.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface RpcService {

    /** The qualifier as a value, for {@code Instance.select}. */
    final class Literal extends jakarta.enterprise.util.AnnotationLiteral<RpcService> implements RpcService {
        /** The one instance. */
        public static final Literal INSTANCE = new Literal();

        private static final long serialVersionUID = 1L;
    }
}
