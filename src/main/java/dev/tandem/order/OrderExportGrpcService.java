package dev.tandem.order;

import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.rpc.PagedStream;
import dev.tandem.rpc.RpcService;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * {@code orders.v1.OrderExportService}: streams orders a page at a time under flow control (see
 * {@link PagedStream}); REST {@code GET /v1/orders:export} and {@code
 * /v1/users/{user_id}/orders:export} as NDJSON or Server-Sent Events. Written against grpc-java's
 * observer API, not Mutiny, because only that lets the stream follow the client's pace.
 */
@Singleton
@RpcService
public class OrderExportGrpcService implements OrderExportServiceGrpc.AsyncService {

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

}
