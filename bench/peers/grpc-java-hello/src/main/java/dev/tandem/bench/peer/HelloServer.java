package dev.tandem.bench.peer;

import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloReply;
import dev.tandem.api.helloworld.HelloRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;

/**
 * The raw gRPC ceiling: grpc-java's own hello-world server on Netty, answering {@code
 * helloworld.Greeter/SayHello} exactly as Tandem does ({@code "Hello " + name}), with {@code
 * directExecutor()} (the handler runs on the Netty event loop, the fastest configuration grpc-java
 * offers, as Tandem's non-blocking Greeter does). No interceptors, no metrics, no health.
 *
 * <p>Usage: {@code java -cp ... dev.tandem.bench.peer.HelloServer PORT} (loopback only). Prints
 * {@code listening on PORT} once it accepts calls and runs until killed.
 */
public final class HelloServer {

    private HelloServer() {
    }

    /**
     * @param args {@code [port]}
     * @throws Exception when the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .directExecutor()
                .addService(new GreeterGrpc.GreeterImplBase() {
                    @Override
                    public void sayHello(HelloRequest request, StreamObserver<HelloReply> response) {
                        response.onNext(HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
        System.out.println("listening on " + server.getPort());
        server.awaitTermination();
    }
}
