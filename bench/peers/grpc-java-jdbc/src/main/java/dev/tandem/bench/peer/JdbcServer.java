package dev.tandem.bench.peer;

import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloReply;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.bench.peer.jdbc.UserQueries;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The JVM ceiling for {@code user.v1.UserService/GetUserById}: plain grpc-java on Netty, {@code
 * directExecutor()} (calls are dispatched on the event loop), each GetUserById handed once to {@link
 * UserQueries}' fixed pool of 8 threads with one pgjdbc connection each, which runs the same two
 * statements as Tandem in one transaction and answers from the pool thread. Also serves {@code
 * helloworld.Greeter/SayHello} on the event loop. No interceptors, no metrics, no health. The
 * message classes are Tandem's own (its application jar is on the class path).
 *
 * <p>Usage: {@code java -cp ... dev.tandem.bench.peer.JdbcServer PORT JDBC_URL USER SQL_FILE}
 * (loopback only). Prints {@code listening on PORT} once it accepts calls and runs until killed.
 */
public final class JdbcServer {

    private JdbcServer() {
    }

    /**
     * @param args {@code port jdbcUrl user sqlFile}
     * @throws Exception when the port cannot be bound or the SQL file read
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        UserQueries queries = new UserQueries(args[1], args[2], Path.of(args[3]));
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .directExecutor()
                .addService(new GreeterGrpc.GreeterImplBase() {
                    @Override
                    public void sayHello(HelloRequest request, StreamObserver<HelloReply> response) {
                        response.onNext(HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
                        response.onCompleted();
                    }
                })
                .addService(new UserServiceGrpc.UserServiceImplBase() {
                    @Override
                    public void getUserById(GetUserRequest request, StreamObserver<GetUserResponse> response) {
                        queries.getUserById(request.getId(), r -> {
                            response.onNext(r);
                            response.onCompleted();
                        }, response::onError);
                    }
                })
                .build()
                .start();
        System.out.println("listening on " + server.getPort());
        server.awaitTermination();
    }
}
