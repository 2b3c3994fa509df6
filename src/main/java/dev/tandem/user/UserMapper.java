package dev.tandem.user;

import dev.tandem.persistence.UserEntity;

import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.user.v1.User;
import dev.tandem.aip.Etags;
import java.util.List;

/** Converts a user entity and its already mapped orders to the proto {@code user.v1.User}. */
public final class UserMapper {

    private UserMapper() {
    }

    /**
     * @param entity a loaded user
     * @param orders the user's orders, oldest first (by id); empty when none
     * @return {@code user.v1.User} with id, names, e-mail, orders and etag (from the row's version)
     */
    public static User user(UserEntity entity, List<Order> orders) {
        return User.newBuilder()
                .setId(entity.id)
                .setFirstName(entity.firstName)
                .setLastName(entity.lastName)
                .setEmail(entity.email)
                .addAllOrders(orders)
                .setEtag(Etags.of(entity.version))
                .build();
    }
}
