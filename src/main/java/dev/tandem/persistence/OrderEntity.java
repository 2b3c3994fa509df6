package dev.tandem.persistence;

import dev.tandem.persistence.ConcurrencyControlledEntity;
import dev.tandem.persistence.UserEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A row of table {@code orders}: one order of one item by one user. Persistence only; see
 * {@link OrderMapper} for the proto {@code orders.v1.Order}.
 *
 * <p>{@link #user} and {@link #item} are lazy: queries that map orders join-fetch {@code item}
 * and read the owner's id from {@link #userId}, which never loads the user.
 */
@Entity
@Table(name = "orders")
public class OrderEntity extends ConcurrencyControlledEntity {

    /** Database-assigned identity, > 0. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Integer id;

    /** Who placed the order (column {@code user_id}); the association written on insert. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false)
    public UserEntity user;

    /** Read-only view of column {@code user_id}: the owner's id without loading the owner. */
    @Column(name = "user_id", insertable = false, updatable = false)
    public Integer userId;

    /** The ordered item (column {@code item_id}). */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "item_id", nullable = false)
    public ItemEntity item;

    /** When the order was placed, UTC, microsecond precision ({@code timestamptz}). */
    @Column(name = "order_date", nullable = false)
    public Instant orderDate;

    /** How many of the item, > 0 (check {@code orders_amount_positive}). */
    @Column(name = "amount", nullable = false)
    public int amount;

    /**
     * The orders of one user, each with its item, in ONE statement. Not {@code withItemsOfUsers(List.of(id))}:
     * Hibernate cannot cache the SQL of a query with a list parameter (the number of {@code IN}
     * placeholders varies), so it translated that query afresh on every call, which the profile of
     * {@code GetUserById} (a JFR profile of the time) showed as the largest part of its CPU time.
     *
     * @param userId user id
     * @return the user's orders, by order id
     */
    public static List<OrderEntity> withItemsOfUser(int userId) {
        return find("from OrderEntity o join fetch o.item where o.userId = ?1 order by o.id", userId).list();
    }

    /**
     * The orders of some users, each with its item, in ONE statement.
     *
     * @param userIds user ids; may be empty (then no statement runs)
     * @return the orders, by order id
     */
    public static List<OrderEntity> withItemsOfUsers(Collection<Integer> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return find("from OrderEntity o join fetch o.item where o.userId in ?1 order by o.id", userIds).list();
    }

    /**
     * Every order, each with its item, in ONE statement.
     *
     * @return all orders, by order id
     */
    public static List<OrderEntity> allWithItems() {
        return find("from OrderEntity o join fetch o.item order by o.id").list();
    }

    /**
     * One page of an export: orders with their items, by id, after a cursor. One SQL statement.
     *
     * @param userId only this user's orders when > 0; every user's when 0
     * @param afterId only orders with a larger id (0 for the first page)
     * @param limit at most this many orders, > 0
     * @return the page, by id
     */
    public static List<OrderEntity> pageWithItems(int userId, int afterId, int limit) {
        var query = userId > 0
                ? find("from OrderEntity o join fetch o.item where o.id > ?1 and o.userId = ?2 order by o.id",
                        afterId, userId)
                : find("from OrderEntity o join fetch o.item where o.id > ?1 order by o.id", afterId);
        return query.range(0, limit - 1).list();
    }

    /**
     * One order with its item, in ONE statement.
     *
     * @param id order id
     * @return the order, or empty when there is none with that id
     */
    public static Optional<OrderEntity> withItemById(int id) {
        return find("from OrderEntity o join fetch o.item where o.id = ?1", id).firstResultOptional();
    }
}
