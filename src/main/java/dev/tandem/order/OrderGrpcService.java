package dev.tandem.order;

import dev.tandem.aip.RequestIds;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.GetOrderRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.orders.v1.OrdersByUserIdRequest;
import dev.tandem.api.orders.v1.OrdersByUserIdResponse;
import dev.tandem.rpc.RpcService;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * gRPC endpoint {@code orders.v1.OrderService}. Each method is the blocking call of {@link OrderService}
 * that does the work; {@code dev.tandem.rpc.ServiceDecorator} runs it on a worker and maps its
 * errors, for every protocol.
 */
@Singleton
@RpcService
public class OrderGrpcService implements OrderServiceGrpc.AsyncService {

    @Inject
    OrderService orders;

    /** {@code GetOrdersByUserId}: see {@link OrderService#ordersByUserId}. */
    @Override
    public void getOrdersByUserId(OrdersByUserIdRequest request, StreamObserver<OrdersByUserIdResponse> response) {
        response.onNext(orders.ordersByUserId(request));
        response.onCompleted();
    }

    /**
     * {@code CreateOrder}: see {@link OrderService#create}; a create that lost a race on its
     * {@code request_id} runs again and returns the winner's order ({@link RequestIds#retryingDuplicates}).
     */
    @Override
    public void createOrder(CreateOrderRequest request, StreamObserver<Order> response) {
        response.onNext(RequestIds.retryingDuplicates(() -> orders.create(request)));
        response.onCompleted();
    }

    /** {@code GetOrder}: see {@link OrderService#get}. */
    @Override
    public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
        response.onNext(orders.get(request));
        response.onCompleted();
    }
}
