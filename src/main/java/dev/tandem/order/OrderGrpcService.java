package dev.tandem.order;

import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.GetOrderRequest;
import dev.tandem.api.orders.v1.MutinyOrderServiceGrpc;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrdersByUserIdRequest;
import dev.tandem.api.orders.v1.OrdersByUserIdResponse;
import dev.tandem.aip.RequestIds;
import dev.tandem.rpc.Offload;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * gRPC endpoint {@code orders.v1.OrderService}. Each method delegates to {@link OrderService} on a
 * worker thread ({@link Offload}) and never blocks the caller; errors are those of
 * {@link OrderService}.
 */
@GrpcService
public class OrderGrpcService extends MutinyOrderServiceGrpc.OrderServiceImplBase {

    @Inject
    OrderService orders;

    /** {@code GetOrdersByUserId}: see {@link OrderService#ordersByUserId}. */
    @Override
    public Uni<OrdersByUserIdResponse> getOrdersByUserId(OrdersByUserIdRequest request) {
        return Offload.blocking(() -> orders.ordersByUserId(request));
    }

    /**
     * {@code CreateOrder}: see {@link OrderService#create}; a create that lost a race on its
     * {@code request_id} runs again and returns the winner's order ({@link RequestIds#retryingDuplicates}).
     */
    @Override
    public Uni<Order> createOrder(CreateOrderRequest request) {
        return Offload.blocking(() -> RequestIds.retryingDuplicates(() -> orders.create(request)));
    }

    /** {@code GetOrder}: see {@link OrderService#get}. */
    @Override
    public Uni<Order> getOrder(GetOrderRequest request) {
        return Offload.blocking(() -> orders.get(request));
    }

    /** @return the service, with malformed requests answered {@code INVALID_ARGUMENT} */
    @Override
    public io.grpc.ServerServiceDefinition bindService() {
        return dev.tandem.rpc.InvalidArgumentOnParseError.wrap(super.bindService());
    }
}
