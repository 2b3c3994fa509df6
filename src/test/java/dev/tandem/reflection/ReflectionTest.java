package dev.tandem.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tandem.ServedServices;
import dev.tandem.TestChannels;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * gRPC server reflection ({@code grpc.reflection.v1.ServerReflection}, what grpcurl and Postman
 * use) is on by default: it lists the services and serves their descriptors with their imports, so
 * a client can build requests without the .proto files. Also run against the packaged application
 * by {@link ReflectionIT}.
 */
@QuarkusTest
class ReflectionTest {

    /** Services a listing may hold besides the application's own. */
    private static final Set<String> INFRASTRUCTURE = Set.of("grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private static List<ServerReflectionResponse> ask(ServerReflectionRequest... requests) throws Exception {
        List<ServerReflectionResponse> answers = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(TestChannels.app())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        answers.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (ServerReflectionRequest r : requests) {
            out.onNext(r);
        }
        out.onCompleted();
        done.get(10, TimeUnit.SECONDS);
        return answers;
    }

    @Test
    void listsTheApplicationsServices() throws Exception {
        ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder().setListServices("").build()).get(0);
        Set<String> names = r.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).collect(Collectors.toSet());
        Set<String> application = ServedServices.application();
        assertTrue(application.contains("orders.v1.OrderExportService"), "services: " + application);
        Set<String> others = new TreeSet<>(names);
        others.removeAll(application);
        assertTrue(names.containsAll(application), () -> "listed " + names + ", served " + application);
        assertTrue(INFRASTRUCTURE.containsAll(others), () -> "listed beyond the application's services: " + others);
    }

    @Test
    void servesTheDescriptorsOfASymbolWithItsImports() throws Exception {
        ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("user.v1.UserService").build()).get(0);
        List<String> files = new ArrayList<>();
        for (var bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            files.add(parse(bytes).getName());
        }
        assertEquals("user/v1/user.proto", files.get(0), () -> "files: " + files);
        assertTrue(files.contains("google/api/annotations.proto"), () -> "imports served too: " + files);
    }

    private static FileDescriptorProto parse(com.google.protobuf.ByteString bytes) throws InvalidProtocolBufferException {
        return FileDescriptorProto.parseFrom(bytes);
    }
}
