package dev.tandem.greeter;

import dev.tandem.api.helloworld.HelloReply;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.api.helloworld.MutinyGreeterGrpc;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * {@code helloworld.Greeter}: the canonical gRPC quick-start service.
 *
 * <p>{@code SayHello{name: "World"}} answers {@code HelloReply{message: "Hello World"}}; an empty
 * name answers {@code "Hello "}, as every language's example server does. Never fails. Served on
 * gRPC as {@code /helloworld.Greeter/SayHello} and on REST as {@code GET /v1/greeter/{name}}.
 */
@GrpcService
public class GreeterGrpcService extends MutinyGreeterGrpc.GreeterImplBase {

    @Override
    public Uni<HelloReply> sayHello(HelloRequest request) {
        return Uni.createFrom().item(HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
    }

    /** @return the service, with malformed requests answered {@code INVALID_ARGUMENT} */
    @Override
    public io.grpc.ServerServiceDefinition bindService() {
        return dev.tandem.rpc.InvalidArgumentOnParseError.wrap(super.bindService());
    }
}
