package dev.tandem.order;

import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.rpc.PagedStream;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;
import java.util.List;

/**
 * {@code orders.v1.OrderExportService}: streams orders a page at a time under flow control (see
 * {@link PagedStream}); REST {@code GET /v1/orders:export} and {@code
 * /v1/users/{user_id}/orders:export} as NDJSON or Server-Sent Events. Written against grpc-java's
 * observer API, not Mutiny, because only that lets the stream follow the client's pace.
 */
@GrpcService
public class OrderExportGrpcService extends OrderExportServiceGrpc.OrderExportServiceImplBase {

    /** Orders read per database round trip. */
    static final int PAGE_SIZE = 200;

    @Inject
    OrderService orders;

    @Override
    public void exportOrders(ExportOrdersRequest request, StreamObserver<Order> response) {
        PagedStream.start(response, 0, after -> {
            List<Order> page = orders.exportPage(request, after, PAGE_SIZE);
            Integer next = page.size() < PAGE_SIZE ? null : page.get(page.size() - 1).getId();
            return new PagedStream.Page<>(page, next);
        });
    }

    /** @return the service, with malformed requests answered {@code INVALID_ARGUMENT} */
    @Override
    public io.grpc.ServerServiceDefinition bindService() {
        return dev.tandem.rpc.InvalidArgumentOnParseError.wrap(super.bindService());
    }
}
