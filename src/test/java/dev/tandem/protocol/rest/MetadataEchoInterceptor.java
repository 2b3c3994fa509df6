package dev.tandem.protocol.rest;

import io.grpc.Context;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test-only: shows a REST caller what metadata and deadline its RPC received, by echoing the
 * metadata keys in {@link #ECHOED} as response headers {@code echo-<key>}, and the deadline as
 * {@code echo-deadline-ms} (remaining milliseconds when the call started).
 */
@ApplicationScoped
@GlobalInterceptor
public class MetadataEchoInterceptor implements ServerInterceptor {

    static final List<String> ECHOED = List.of("authorization", "traceparent", "custom", "x-not-forwarded");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Metadata echo = new Metadata();
        for (String key : ECHOED) {
            Metadata.Key<String> k = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
            String value = headers.get(k);
            if (value != null) {
                echo.put(Metadata.Key.of("echo-" + key, Metadata.ASCII_STRING_MARSHALLER), value);
            }
        }
        if (Context.current().getDeadline() != null) {
            echo.put(Metadata.Key.of("echo-deadline-ms", Metadata.ASCII_STRING_MARSHALLER),
                    Long.toString(Context.current().getDeadline().timeRemaining(TimeUnit.MILLISECONDS)));
        }
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.merge(echo);
                super.sendHeaders(responseHeaders);
            }
        }, headers);
    }
}
