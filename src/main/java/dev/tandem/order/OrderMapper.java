package dev.tandem.order;

import dev.tandem.persistence.ItemEntity;
import dev.tandem.persistence.OrderEntity;

import com.google.protobuf.Timestamp;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.aip.Etags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts order and item entities to their {@code orders.v1} proto messages. Call it inside the
 * transaction that loaded the entities, with {@link OrderEntity#item} already fetched.
 */
public final class OrderMapper {

    private OrderMapper() {
    }

    /**
     * @param entity a loaded item
     * @return {@code orders.v1.Item} with id and name
     */
    public static Item item(ItemEntity entity) {
        return Item.newBuilder().setId(entity.id).setName(entity.name).build();
    }

    /**
     * @param entity an order whose {@code item} is loaded (join-fetched) and whose {@code userId} is set
     * @return {@code orders.v1.Order} with its item and etag; {@code order_date} as a UTC {@code Timestamp}
     */
    public static Order order(OrderEntity entity) {
        return Order.newBuilder()
                .setId(entity.id)
                .setUserId(entity.userId)
                .setItem(item(entity.item))
                .setOrderDate(timestamp(entity.orderDate))
                .setAmount(entity.amount)
                .setEtag(Etags.of(entity.version))
                .build();
    }

    /**
     * @param instant a point in time
     * @return the same instant as {@code google.protobuf.Timestamp} (seconds and nanos since the epoch, UTC)
     */
    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /**
     * Maps orders and groups them by owner.
     *
     * @param entities orders with items loaded, e.g. from {@link OrderEntity#withItemsOfUsers}
     * @return user id to that user's orders, in the order given; users without orders are absent
     */
    public static Map<Integer, List<Order>> byUser(List<OrderEntity> entities) {
        Map<Integer, List<Order>> byUser = new HashMap<>();
        for (OrderEntity entity : entities) {
            byUser.computeIfAbsent(entity.userId, id -> new ArrayList<>()).add(order(entity));
        }
        return byUser;
    }
}
