package dev.tandem.order;

import dev.tandem.persistence.ItemEntity;
import dev.tandem.persistence.OrderEntity;

import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.GetOrderRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrdersByUserIdRequest;
import dev.tandem.api.orders.v1.OrdersByUserIdResponse;
import dev.tandem.aip.RequestIds;
import dev.tandem.error.ApiErrors;
import dev.tandem.error.Constraints;
import dev.tandem.persistence.UserEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Use cases of {@code orders.v1.OrderService}; each write is one transaction, reads run in auto-commit
 * (see {@code dev.tandem.rpc.OffloadingHandler}). Blocking (JDBC): call it from a
 * worker thread, as {@code dev.tandem.rpc.ServiceDecorator} does for every RPC. Requests arrive validated: the rules
 * declared in {@code order.proto} (ids and amounts > 0, request id form, {@code REQUIRED} fields) are
 * enforced by {@code dev.tandem.validation.ValidationInterceptor} before a method here runs. What
 * needs the database (existence, request-id reuse) is checked here; a failed request writes nothing.
 */
@ApplicationScoped
public class OrderService {

    /**
     * GetOrdersByUserId: the user's orders with their items, oldest first (by id), in one SQL
     * statement. An unknown user has no orders (empty list, not NOT_FOUND), as in the original
     * service.
     *
     * @param request {@code user_id} > 0 (validated)
     * @return the orders
     */
    public OrdersByUserIdResponse ordersByUserId(OrdersByUserIdRequest request) {
        OrdersByUserIdResponse.Builder response = OrdersByUserIdResponse.newBuilder();
        OrderEntity.withItemsOfUser(request.getUserId())
                .forEach(o -> response.addOrders(OrderMapper.order(o)));
        return response.build();
    }

    /**
     * CreateOrder: places an order dated now (UTC, truncated to microseconds, the database's
     * precision, so a later read returns the same {@code order_date}).
     *
     * <p>With a {@code request_id} (AIP-155) it is idempotent: see {@link RequestIds}. Callers that
     * may race on one request id run it through {@link RequestIds#retryingDuplicates}.
     *
     * @param request {@code user_id}, {@code item_id}, {@code amount} all > 0; {@code request_id}
     *     empty or a UUID (validated)
     * @return the new order with its id, item and etag; for a repeated {@code request_id} with the
     *     same content, the order that request created
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} on {@code request_id} when it
     *     was used before with different content; {@code NOT_FOUND} when the user or the item does not exist (also when deleted concurrently)
     * @throws RequestIds.DuplicateRequest when a concurrent create with the same request id committed
     *     first
     */
    @Transactional
    public Order create(CreateOrderRequest request) {
        Optional<UUID> requestId = RequestIds.field(request.getRequestId());
        String hash = RequestIds.hash(request.getUserId(), request.getItemId(), request.getAmount());
        if (requestId.isPresent()) {
            OrderEntity earlier = OrderEntity.find("requestId", requestId.get()).firstResult();
            if (earlier != null) {
                if (!hash.equals(earlier.requestHash)) {
                    throw RequestIds.reusedForAnotherRequest("request_id");
                }
                return OrderEntity.withItemById(earlier.id).map(OrderMapper::order).orElseThrow();
            }
        }
        UserEntity user = UserEntity.findById(request.getUserId());
        if (user == null) {
            throw ApiErrors.notFound("user", request.getUserId());
        }
        ItemEntity item = ItemEntity.findById(request.getItemId());
        if (item == null) {
            throw ApiErrors.notFound("item", request.getItemId());
        }
        OrderEntity order = new OrderEntity();
        order.user = user;
        order.userId = user.id;
        order.item = item;
        order.amount = request.getAmount();
        order.orderDate = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (requestId.isPresent()) {
            order.requestId = requestId.get();
            order.requestHash = hash;
        }
        try {
            order.persistAndFlush();
        } catch (PersistenceException e) {
            if (Constraints.isViolation(e, Constraints.ORDERS_REQUEST_ID_UNIQUE)) {
                throw new RequestIds.DuplicateRequest("orders");
            }
            if (Constraints.isViolation(e, Constraints.ORDERS_USER_FK)) {
                throw ApiErrors.notFound("user", request.getUserId());
            }
            if (Constraints.isViolation(e, Constraints.ORDERS_ITEM_FK)) {
                throw ApiErrors.notFound("item", request.getItemId());
            }
            throw e;
        }
        return OrderMapper.order(order);
    }

    /**
     * GetOrder: one order with its item, in one SQL statement.
     *
     * @param request {@code id} > 0 (validated)
     * @return the order
     * @throws io.grpc.StatusRuntimeException {@code NOT_FOUND} when there is no such order
     */
    public Order get(GetOrderRequest request) {
        return OrderEntity.withItemById(request.getId())
                .map(OrderMapper::order)
                .orElseThrow(() -> ApiErrors.notFound("order", request.getId()));
    }

    /**
     * One page of ExportOrders: orders with their items, by id, after a cursor. One SQL statement,
     * in its own short transaction, so that a long export holds no transaction open.
     *
     * @param request {@code user_id} > 0 for one user's orders, 0 for everyone's (validated)
     * @param afterId the id of the last order already sent, 0 at the start
     * @param pageSize at most this many orders, > 0
     * @return the page; shorter than {@code pageSize} only on the last page
     */
    @Transactional
    public List<Order> exportPage(ExportOrdersRequest request, int afterId, int pageSize) {
        return OrderEntity.pageWithItems(request.getUserId(), afterId, pageSize).stream()
                .map(OrderMapper::order)
                .toList();
    }
}
