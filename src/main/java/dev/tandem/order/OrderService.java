package dev.tandem.order;

import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.GetOrderRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrdersByUserIdRequest;
import dev.tandem.api.orders.v1.OrdersByUserIdResponse;
import dev.tandem.concurrency.RequestIds;
import dev.tandem.error.ApiErrors;
import dev.tandem.error.BadRequestBuilder;
import dev.tandem.error.Constraints;
import dev.tandem.user.UserEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Use cases of {@code orders.v1.OrderService}, one transaction each. Blocking (JDBC): call it from a
 * worker thread, e.g. through {@code dev.tandem.grpc.Offload}. Requests are validated in full
 * before anything is read or written; a failed request writes nothing.
 */
@ApplicationScoped
public class OrderService {

    /**
     * GetOrdersByUserId: the user's orders with their items, oldest first (by id), in one SQL
     * statement. An unknown user has no orders (empty list, not NOT_FOUND), as in the original
     * service.
     *
     * @param request {@code user_id} > 0
     * @return the orders
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} (field {@code user_id}) when
     *     user_id <= 0
     */
    @Transactional
    public OrdersByUserIdResponse ordersByUserId(OrdersByUserIdRequest request) {
        new BadRequestBuilder().check(request.getUserId() > 0, "user_id", "must be > 0").throwIfAny();
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
     *     empty or a UUID
     * @return the new order with its id, item and etag; for a repeated {@code request_id} with the
     *     same content, the order that request created
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} naming every field <= 0, or
     *     {@code request_id} when it is not a UUID or was used before with different content;
     *     {@code NOT_FOUND} when the user or the item does not exist (also when deleted concurrently)
     * @throws RequestIds.DuplicateRequest when a concurrent create with the same request id committed
     *     first
     */
    @Transactional
    public Order create(CreateOrderRequest request) {
        BadRequestBuilder violations = new BadRequestBuilder()
                .check(request.getUserId() > 0, "user_id", "must be > 0")
                .check(request.getItemId() > 0, "item_id", "must be > 0")
                .check(request.getAmount() > 0, "amount", "must be > 0");
        Optional<UUID> requestId = RequestIds.field(request.getRequestId(), "request_id", violations);
        violations.throwIfAny();
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
     * @param request {@code id} > 0
     * @return the order
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} (field {@code id}) when id <= 0;
     *     {@code NOT_FOUND} when there is no such order
     */
    @Transactional
    public Order get(GetOrderRequest request) {
        new BadRequestBuilder().check(request.getId() > 0, "id", "must be > 0").throwIfAny();
        return OrderEntity.withItemById(request.getId())
                .map(OrderMapper::order)
                .orElseThrow(() -> ApiErrors.notFound("order", request.getId()));
    }

    /**
     * One page of ExportOrders: orders with their items, by id, after a cursor. One SQL statement,
     * in its own short transaction, so that a long export holds no transaction open.
     *
     * @param request {@code user_id} > 0 for one user's orders, 0 for everyone's
     * @param afterId the id of the last order already sent, 0 at the start
     * @param pageSize at most this many orders, > 0
     * @return the page; shorter than {@code pageSize} only on the last page
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} (field {@code user_id}) when
     *     user_id < 0
     */
    @Transactional
    public List<Order> exportPage(ExportOrdersRequest request, int afterId, int pageSize) {
        new BadRequestBuilder().check(request.getUserId() >= 0, "user_id", "must be >= 0 (0: every user)")
                .throwIfAny();
        return OrderEntity.pageWithItems(request.getUserId(), afterId, pageSize).stream()
                .map(OrderMapper::order)
                .toList();
    }
}
