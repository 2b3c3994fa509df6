package dev.tandem.bench.handwritten;

import dev.tandem.aip.Etags;
import dev.tandem.persistence.OrderEntity;
import dev.tandem.persistence.UserEntity;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Bench-only (built with {@code ./mvnw -Pbench}, never in the product): the REST endpoints a team
 * would write by hand with quarkus-rest-jackson, for what transcoding costs. Same answers as the
 * transcoded routes, from the same work:
 *
 * <ul>
 *   <li>{@code GET /bench/handwritten/greeter/{name}}: {@code {"message":"Hello <name>"}}, as {@code
 *       GET /v1/greeter/{name}};
 *   <li>{@code GET /bench/handwritten/users/{id}}: the JSON of {@code GET /v1/users/{id}} (a {@code
 *       GetUserResponse}: the user, its orders oldest first with their items, etags), from the same
 *       two SQL statements in one transaction as {@code UserService.get}: the user by primary key,
 *       then its orders join-fetching their items ({@link OrderEntity#withItemsOfUsers}). Unknown id:
 *       404 (JAX-RS's own, without a {@code google.rpc.Status} body; the bench only reads id 1).
 * </ul>
 *
 * Jackson serialises the records below; quarkus-rest runs the blocking user method on a worker
 * thread (it is not reactive), the transcoded route runs {@code GetUserById} on the worker pool too.
 */
@Path("/bench/handwritten")
@Produces(MediaType.APPLICATION_JSON)
public class HandwrittenResource {

    /** {@code helloworld.HelloReply} as JSON. */
    public record Greeting(String message) {
    }

    /** {@code user.v1.GetUserResponse} as JSON. */
    public record UserResponse(User user) {
    }

    /** {@code user.v1.User} as JSON (int32 id as a number, as the proto3 JSON mapping writes it). */
    public record User(int id, String firstName, String lastName, String email, List<Order> orders, String etag) {
    }

    /** {@code orders.v1.Order} as JSON; {@code orderDate} RFC 3339 in UTC, as a Timestamp is written. */
    public record Order(int id, int userId, Item item, String orderDate, int amount, String etag) {
    }

    /** {@code orders.v1.Item} as JSON. */
    public record Item(int id, String name) {
    }

    /**
     * @param name who to greet
     * @return {@code {"message":"Hello <name>"}}
     */
    @GET
    @Path("/greeter/{name}")
    public Greeting greet(@PathParam("name") String name) {
        return new Greeting("Hello " + name);
    }

    /**
     * @param id user id
     * @return the user with orders and items
     * @throws NotFoundException (404) for an unknown id
     */
    @GET
    @Path("/users/{id}")
    @Transactional
    public UserResponse user(@PathParam("id") int id) {
        UserEntity user = UserEntity.findById(id);
        if (user == null) {
            throw new NotFoundException();
        }
        List<Order> orders = OrderEntity.withItemsOfUsers(List.of(user.id)).stream()
                .map(o -> new Order(o.id, o.userId, new Item(o.item.id, o.item.name), o.orderDate.toString(), o.amount,
                        Etags.of(o.version)))
                .toList();
        return new UserResponse(new User(user.id, user.firstName, user.lastName, user.email, orders, Etags.of(user.version)));
    }
}
