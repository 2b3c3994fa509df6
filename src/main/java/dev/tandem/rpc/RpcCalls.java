package dev.tandem.rpc;

import io.grpc.Attributes;
import io.grpc.ServerCall;

/**
 * What every protocol edge tells the interceptors about a call, as {@link ServerCall#getAttributes()
 * call attributes}, besides grpc-java's own {@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR} and {@code
 * TRANSPORT_ATTR_LOCAL_ADDR}.
 */
public final class RpcCalls {

    /**
     * The protocol the call came in by: {@value #GRPC}, {@value #REST}, {@value #GRPC_WEB} or {@value
     * #CONNECT}. A call without the attribute (grpc-java's own Netty server) is {@value #GRPC}.
     */
    public static final Attributes.Key<String> PROTOCOL = Attributes.Key.create("tandem.protocol");

    /** gRPC over HTTP/2 (grpc/grpc doc/PROTOCOL-HTTP2.md). */
    public static final String GRPC = "grpc";
    /** REST/JSON transcoded by the HttpRules of {@code google/api/http.proto}. */
    public static final String REST = "rest";
    /** gRPC-Web (grpc/grpc doc/PROTOCOL-WEB.md). */
    public static final String GRPC_WEB = "grpc-web";
    /** The Connect protocol (connectrpc.com/docs/protocol). */
    public static final String CONNECT = "connect";

    private RpcCalls() {
    }

    /**
     * @param call a server call
     * @return the protocol it came in by, one of the constants of this class
     */
    public static String protocol(ServerCall<?, ?> call) {
        String p = call.getAttributes().get(PROTOCOL);
        return p == null ? GRPC : p;
    }
}
