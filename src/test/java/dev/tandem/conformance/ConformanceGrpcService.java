package dev.tandem.conformance;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import dev.tandem.conformance.api.ConformanceGrpc;
import dev.tandem.conformance.api.FailRequest;
import dev.tandem.conformance.api.Kitchen;
import dev.tandem.conformance.api.KitchenUpdate;
import dev.tandem.conformance.api.StreamRequest;
import dev.tandem.rpc.PagedStream;
import dev.tandem.rpc.RpcService;
import dev.tandem.rpc.RunsOnEventLoop;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only {@code tandem.conformance.v1.Conformance}: echoes requests so that REST callers see the
 * request message the transcoder bound, fails on demand with any code, and streams on demand.
 */
@Singleton
@RpcService
public class ConformanceGrpcService implements ConformanceGrpc.AsyncService {

    /** Messages per page of {@link #streamKitchens}. */
    static final int PAGE = 50;

    /**
     * How calls of {@link #echo} whose {@code name} starts with {@code probe:} ended on the server, by
     * that name: {@code complete} (the listener's {@code onComplete}) or {@code cancel}.
     */
    public static final Map<String, CompletableFuture<String>> PROBE_ENDS = new ConcurrentHashMap<>();

    @Override
    public void echo(Kitchen request, StreamObserver<Kitchen> response) {
        if (request.getName().startsWith("probe:") && response instanceof ServerCallStreamObserver<Kitchen> call) {
            CompletableFuture<String> end = PROBE_ENDS.computeIfAbsent(request.getName(), n -> new CompletableFuture<>());
            call.setOnCloseHandler(() -> end.complete("complete"));
            call.setOnCancelHandler(() -> end.complete("cancel"));
        }
        response.onNext(request);
        response.onCompleted();
    }

    @Override
    public void echoNested(Kitchen request, StreamObserver<Kitchen> response) {
        echo(request, response);
    }

    @Override
    public void echoRepeated(Kitchen request, StreamObserver<Kitchen> response) {
        echo(request, response);
    }

    @Override
    public void update(KitchenUpdate request, StreamObserver<KitchenUpdate> response) {
        response.onNext(request);
        response.onCompleted();
    }

    @Override
    public void fail(FailRequest request, StreamObserver<Kitchen> response) {
        if (request.getCode() == 0) {
            echo(Kitchen.getDefaultInstance(), response);
            return;
        }
        response.onError(StatusProto.toStatusRuntimeException(status(request.getCode(), request.getMessage())));
    }

    @Override
    public void streamKitchens(StreamRequest request, StreamObserver<Kitchen> response) {
        int count = request.getCount();
        PagedStream.start(response, 0, sent -> {
            List<Kitchen> page = new ArrayList<>();
            for (int i = sent + 1; i <= Math.min(count, sent + PAGE); i++) {
                page.add(Kitchen.newBuilder().setInt32Value(i).build());
            }
            int upTo = sent + page.size();
            if (upTo < count) {
                return new PagedStream.Page<>(page, upTo);
            }
            if (request.getFailCode() != 0 && page.isEmpty()) {
                throw StatusProto.toStatusRuntimeException(status(request.getFailCode(), "failed after " + count));
            }
            return new PagedStream.Page<>(page, request.getFailCode() != 0 ? upTo : null);
        });
    }

    private static com.google.rpc.Status status(int code, String message) {
        return com.google.rpc.Status.newBuilder()
                .setCode(Status.fromCodeValue(code).getCode().value())
                .setMessage(message)
                .addDetails(Any.pack(BadRequest.newBuilder()
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                .setField("code").setDescription("asked to fail"))
                        .build()))
                .build();
    }
}
