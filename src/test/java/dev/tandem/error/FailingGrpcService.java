package dev.tandem.error;

import com.google.protobuf.Empty;
import dev.tandem.rpc.Offload;
import dev.tandem.testing.api.MutinyFailingGrpc;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** Test-only {@code tandem.testing.Failing}: fails like a service hitting an unexpected database error. */
@GrpcService
public class FailingGrpcService extends MutinyFailingGrpc.FailingImplBase {

    /** Secret text that must never reach a client. */
    public static final String INTERNALS = "ERROR: duplicate key value violates unique constraint; SELECT u.email FROM users u";

    /** Fails on a worker thread, as a real service would. */
    @Override
    public Uni<Empty> fail(Empty request) {
        return Offload.blocking(() -> {
            throw new IllegalStateException(INTERNALS, new java.sql.SQLException(INTERNALS));
        });
    }
}
