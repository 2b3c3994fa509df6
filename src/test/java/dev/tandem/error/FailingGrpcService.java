package dev.tandem.error;

import com.google.protobuf.Empty;
import dev.tandem.rpc.RpcService;
import dev.tandem.testing.api.FailingGrpc;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Singleton;

/** Test-only {@code tandem.testing.Failing}: fails like a service hitting an unexpected database error. */
@Singleton
@RpcService
public class FailingGrpcService implements FailingGrpc.AsyncService {

    /** Secret text that must never reach a client. */
    public static final String INTERNALS = "ERROR: duplicate key value violates unique constraint; SELECT u.email FROM users u";

    /** Fails on a worker thread, as a real service would. */
    @Override
    public void fail(Empty request, StreamObserver<Empty> response) {
        throw new IllegalStateException(INTERNALS, new java.sql.SQLException(INTERNALS));
    }
}
