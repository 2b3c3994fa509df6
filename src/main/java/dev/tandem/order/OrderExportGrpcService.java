package dev.tandem.order;

import com.google.api.HttpBody;
import com.google.protobuf.ByteString;
import dev.tandem.api.orders.v1.ExportOrdersCsvRequest;
import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.rpc.PagedStream;
import dev.tandem.rpc.RpcService;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

    /** The content type of the CSV export (RFC 4180 section 3, UTF-8). */
    static final String CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

    /** The header line of the CSV export, its columns in order. */
    static final String[] CSV_COLUMNS = {"id", "user_id", "item_id", "item_name", "order_date", "amount"};

    /**
     * {@code ExportOrdersCsv}: one user's orders as an RFC 4180 CSV file ({@link Csv}), streamed as
     * one {@code google.api.HttpBody} ({@value #CSV_CONTENT_TYPE}) per page of {@value #PAGE_SIZE}
     * orders, the first with the header line before them (an unknown user: the header alone).
     * Pages are read as {@link #exportOrders} reads them, under flow control ({@link PagedStream}).
     * Columns: {@link #CSV_COLUMNS}; {@code order_date} in RFC 3339, UTC ({@link Instant#toString()}).
     */
    @Override
    public void exportOrdersCsv(ExportOrdersCsvRequest request, StreamObserver<HttpBody> response) {
        ExportOrdersRequest byUser = ExportOrdersRequest.newBuilder().setUserId(request.getUserId()).build();
        PagedStream.start(response, 0, after -> {
            List<Order> page = orders.exportPage(byUser, after, PAGE_SIZE);
            StringBuilder csv = new StringBuilder();
            if (after == 0) {
                Csv.appendRecord(csv, CSV_COLUMNS);
            }
            for (Order o : page) {
                Instant date = Instant.ofEpochSecond(o.getOrderDate().getSeconds(), o.getOrderDate().getNanos());
                Csv.appendRecord(csv, Integer.toString(o.getId()), Integer.toString(o.getUserId()),
                        Integer.toString(o.getItem().getId()), o.getItem().getName(), date.toString(),
                        Integer.toString(o.getAmount()));
            }
            Integer next = page.size() < PAGE_SIZE ? null : page.get(page.size() - 1).getId();
            List<HttpBody> chunk = csv.isEmpty() ? List.of() : List.of(HttpBody.newBuilder()
                    .setContentType(CSV_CONTENT_TYPE)
                    .setData(ByteString.copyFrom(csv.toString(), StandardCharsets.UTF_8))
                    .build());
            return new PagedStream.Page<>(chunk, next);
        });
    }
}
