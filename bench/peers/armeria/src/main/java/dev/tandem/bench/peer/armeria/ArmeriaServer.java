package dev.tandem.bench.peer.armeria;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloReply;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.bench.peer.jdbc.UserQueries;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The peer that does what Tandem does: Armeria 1.33 serving Tandem's own protos (its generated
 * classes, from Tandem's application jar on the class path) over gRPC AND, on the same port, REST
 * transcoded from their {@code google.api.http} rules ({@code
 * GrpcService.builder().enableHttpJsonTranscoding(true)}, Armeria's {@code HttpJsonTranscodingService}).
 * gRPC-Web is served too (Armeria's {@code GrpcService} accepts every gRPC serialization format by
 * default), ready for issue 14's loads.
 *
 * <ul>
 *   <li>{@code helloworld.Greeter/SayHello} ({@code GET /v1/greeter/{name}}): answered on the event
 *       loop ({@code useBlockingTaskExecutor(false)}, Armeria's default), as Tandem's non-blocking
 *       Greeter.
 *   <li>{@code user.v1.UserService/GetUserById} ({@code GET /v1/users/{id}}): handed once to {@link
 *       UserQueries}' fixed pool of 8 threads with one pgjdbc connection each, the same two
 *       statements as Tandem in one transaction; the answer is sent from the pool thread.
 *   <li>Every other RPC: {@code UNIMPLEMENTED} (grpc-java's generated default). No interceptors, no
 *       metrics, no access log; Armeria's defaults otherwise (its JSON marshaller for REST).
 * </ul>
 *
 * <p>Usage: {@code java -cp ... dev.tandem.bench.peer.armeria.ArmeriaServer PORT JDBC_URL USER
 * SQL_FILE} (loopback only, cleartext: HTTP/1.1 and h2c on the one port). Prints {@code listening on
 * PORT} once it accepts requests and runs until killed.
 */
public final class ArmeriaServer {

    private ArmeriaServer() {
    }

    /**
     * @param args {@code port jdbcUrl user sqlFile}
     * @throws Exception when the port cannot be bound or the SQL file read
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        UserQueries queries = new UserQueries(args[1], args[2], Path.of(args[3]));
        GrpcService grpc = GrpcService.builder()
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
                .enableHttpJsonTranscoding(true)
                .build();
        Server server = Server.builder()
                .http(new InetSocketAddress("127.0.0.1", port))
                .service(grpc)
                .build();
        server.start().join();
        System.out.println("listening on " + server.activeLocalPort());
        server.whenClosed().join();
    }
}
