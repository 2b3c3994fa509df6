package dev.tandem.security;

import dev.tandem.rpc.InterceptorOrder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Authentication and authorization of every RPC, on gRPC and REST alike (the REST facade runs the
 * same interceptors, and forwards the HTTP {@code Authorization} header as metadata {@code
 * authorization}). While {@code tandem.auth.enabled}, a call to a service outside {@code
 * tandem.auth.open-services} needs the metadata {@code authorization: Bearer <JWT>} (RFC 6750) with a
 * token that {@link TokenVerifier} accepts and whose {@code groups} allow the RPC ({@link RpcAccess},
 * {@link AuthConfig#allows}). Otherwise the call is closed at once, before the service or any
 * interceptor inside this one sees it:
 *
 * <ul>
 *   <li>more than one {@code authorization} entry (two HTTP {@code Authorization} headers), whatever
 *       they hold: {@code UNAUTHENTICATED} with the challenge {@code error="invalid_request"} (RFC 6750
 *       section 3.1; REST 400), never "the last one wins";</li>
 *   <li>no bearer token, or one that is malformed, badly signed, expired or from another issuer:
 *       {@code UNAUTHENTICATED} (REST 401);</li>
 *   <li>a valid token without the role: {@code PERMISSION_DENIED} (REST 403).</li>
 * </ul>
 *
 * <p>Both carry a {@code google.rpc.ErrorInfo} detail and the trailer {@code www-authenticate} with
 * the RFC 6750 challenge (REST: the {@code WWW-Authenticate} header). Priority {@link
 * InterceptorOrder#AUTH}.
 */
@ApplicationScoped
@GlobalInterceptor
public class AuthInterceptor implements ServerInterceptor, Prioritized {

    /** Request metadata key {@code authorization}. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final Logger LOG = Logger.getLogger(AuthInterceptor.class);

    @Inject
    AuthConfig config;

    @Inject
    TokenVerifier verifier;

    private final Map<String, RpcAccess> access = new ConcurrentHashMap<>();

    /** @return {@link InterceptorOrder#AUTH} */
    @Override
    public int getPriority() {
        return InterceptorOrder.AUTH;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        if (!config.enabled() || config.openServices().contains(method.getServiceName())) {
            return next.startCall(call, headers);
        }
        RpcAccess needed = access.computeIfAbsent(method.getFullMethodName(), n -> RpcAccess.of(method));
        try {
            int credentials = count(headers.getAll(AUTHORIZATION));
            if (credentials > 1) {
                throw AuthException.ambiguousCredentials(credentials);
            }
            JsonWebToken token = verifier.verify(headers.get(AUTHORIZATION));
            if (!config.allows(needed, TokenVerifier.groups(token))) {
                throw AuthException.missingRole(config.roleFor(needed), method.getFullMethodName());
            }
        } catch (AuthException e) {
            LOG.debugf("%s refused: %s", method.getFullMethodName(), e.getMessage());
            call.close(e.status(), e.trailers());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }

    private static int count(Iterable<String> values) {
        int n = 0;
        if (values != null) {
            for (String ignored : values) {
                n++;
            }
        }
        return n;
    }
}
