package dev.tandem.greeter;

import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloReply;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.rpc.RpcService;
import dev.tandem.rpc.RunsOnEventLoop;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/**
 * {@code helloworld.Greeter}: the canonical gRPC quick-start service.
 *
 * <p>{@code SayHello{name: "World"}} answers {@code HelloReply{message: "Hello World"}}; an empty
 * name answers {@code "Hello "}, as every language's example server does. Never fails. Served on
 * gRPC as {@code /helloworld.Greeter/SayHello} and on REST as {@code GET /v1/greeter/{name}}.
 * CPU-only, so it runs on the event loop that delivers the call ({@link RunsOnEventLoop}).
 */
@Singleton
@RpcService
public class GreeterGrpcService implements GreeterGrpc.AsyncService {

    @Override
    @RunsOnEventLoop
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> response) {
        response.onNext(HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
        response.onCompleted();
    }
}
