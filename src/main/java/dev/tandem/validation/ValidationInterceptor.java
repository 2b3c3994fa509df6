package dev.tandem.validation;

import build.buf.protovalidate.exceptions.ValidationException;
import com.google.protobuf.Message;
import dev.tandem.error.ApiErrors;
import dev.tandem.rpc.InterceptorOrder;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Validates every request message before the service sees it, on gRPC and REST alike (the REST
 * facade runs the same global interceptors): the protovalidate rules of the protos' {@code
 * (buf.validate.field)} options and the {@code google.api.field_behavior} rules of AIP-203 (see
 * {@link RequestRules}).
 *
 * <p>A request that breaks a rule closes the call with {@code INVALID_ARGUMENT} and a {@code
 * google.rpc.BadRequest} detail with a violation per field, e.g. {@code user.email: must be a valid
 * email address} ({@link ApiErrors#invalidArgument(com.google.rpc.BadRequest)}); the REST facade
 * answers it as 400 with the same {@code google.rpc.Status} as JSON. The service is never called, so
 * nothing is read or written. A valid request goes on with its output-only values cleared.
 *
 * <p>Validation is CPU-only and runs on the thread that delivers the message (the event loop, for
 * both protocols). A message that did not parse arrives as {@code null} and is passed on for {@link
 * dev.tandem.rpc.CallGuard} to refuse, as is a {@code dev.tandem.rpc.RequestFault}. Methods that are not the application's
 * (health, reflection) are not checked.
 */
@ApplicationScoped
@GlobalInterceptor
public class ValidationInterceptor implements ServerInterceptor, Prioritized {

    private static final Logger LOG = Logger.getLogger(ValidationInterceptor.class);

    @Inject
    ValidationRules rules;

    /** @return {@link InterceptorOrder#VALIDATION} */
    @Override
    public int getPriority() {
        return InterceptorOrder.VALIDATION;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        RequestRules method = rules.forMethod(call.getMethodDescriptor().getFullMethodName());
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        return method == null ? listener : new ValidatingListener<>(listener, call, method);
    }

    /** Checks each request message; refuses the call at the first invalid one. */
    private static final class ValidatingListener<Q> extends SimpleForwardingServerCallListener<Q> {

        private final ServerCall<Q, ?> call;
        private final RequestRules method;
        private boolean refused;

        ValidatingListener(ServerCall.Listener<Q> delegate, ServerCall<Q, ?> call, RequestRules method) {
            super(delegate);
            this.call = call;
            this.method = method;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onMessage(Q message) {
            if (refused) {
                return;
            }
            if (!(message instanceof Message request)) {
                super.onMessage(message); // null or a RequestFault: CallGuard answers
                return;
            }
            RequestRules.Outcome outcome;
            try {
                outcome = method.apply(request);
            } catch (ValidationException e) {
                LOG.errorf(e, "protovalidate failed on a request of %s", call.getMethodDescriptor().getFullMethodName());
                refuse(ApiErrors.internal());
                return;
            }
            if (!outcome.accepted()) {
                refuse(ApiErrors.invalidArgument(outcome.violations()));
                return;
            }
            super.onMessage((Q) outcome.request());
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                super.onHalfClose();
            }
        }

        private void refuse(StatusRuntimeException e) {
            refused = true;
            call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
        }
    }
}
