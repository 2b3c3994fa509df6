package dev.tandem.user;

import dev.tandem.persistence.UserEntity;

import com.google.protobuf.Empty;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetAllUsersResponse;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.ListUsersResponse;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.aip.Etags;
import dev.tandem.aip.IfMatch;
import dev.tandem.aip.RequestIds;
import dev.tandem.error.ApiErrors;
import dev.tandem.error.BadRequestBuilder;
import dev.tandem.error.Constraints;
import dev.tandem.error.DatabaseFailures;
import dev.tandem.persistence.OrderEntity;
import dev.tandem.order.OrderMapper;
import dev.tandem.aip.PageSize;
import dev.tandem.aip.PageToken;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Use cases of {@code user.v1.UserService}; each write is one transaction, reads run in auto-commit
 * (see {@code dev.tandem.rpc.OffloadingHandler}). Blocking (JDBC): call it from a
 * worker thread, as {@code dev.tandem.rpc.ServiceDecorator} does for every RPC.
 *
 * <p>Requests arrive validated: the rules declared in {@code user.proto} (ids > 0, name and e-mail
 * formats and lengths, page size range, request id form, {@code REQUIRED} fields, update-mask paths)
 * are enforced by {@code dev.tandem.validation.ValidationInterceptor} before a method here runs, and
 * the output-only {@code User.orders} has been cleared. What needs more than the request's own
 * fields is checked here, before reading or writing anything, and fails with {@code
 * INVALID_ARGUMENT} listing every bad field ({@code google.rpc.BadRequest}): page tokens, etags,
 * which fields an update mask selects and that none of them is cleared. A failed request writes
 * nothing (the transaction rolls back). Reads return users with their orders and items in a fixed
 * number of SQL statements, whatever the number of orders (no N+1).
 */
@ApplicationScoped
public class UserService {

    private static final String USER = "user";

    /**
     * GetUserById: one user with all of their orders and items. Two SQL statements.
     *
     * @param request {@code id} > 0 (validated)
     * @return the user, orders oldest first
     * @throws io.grpc.StatusRuntimeException {@code NOT_FOUND} when there is no such user
     */
    public GetUserResponse get(GetUserRequest request) {
        UserEntity user = find(request.getId());
        return GetUserResponse.newBuilder().setUser(withOrders(user)).build();
    }

    /**
     * GetAllUsers: every user with orders and items, by id. Two SQL statements. Unbounded: prefer
     * {@link #list}.
     *
     * @return all users
     */
    public GetAllUsersResponse getAll() {
        List<UserEntity> users = UserEntity.listAll(Sort.by("id"));
        Map<Integer, List<Order>> orders = OrderMapper.byUser(OrderEntity.allWithItems());
        GetAllUsersResponse.Builder response = GetAllUsersResponse.newBuilder();
        users.forEach(u -> response.addUsers(UserMapper.user(u, orders.getOrDefault(u.id, List.of()))));
        return response.build();
    }

    /**
     * ListUsers (AIP-158): one page of users with orders and items, by id, keyset-paged. Two SQL
     * statements per page.
     *
     * @param request {@code page_size} 0 (= {@value PageSize#DEFAULT}) or 1..{@value PageSize#MAX}
     *     (validated); {@code page_token} empty or a {@code next_page_token} of this method
     * @return up to page_size users; {@code next_page_token} empty on the last page
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} naming {@code page_token} when
     *     it is not a token of this list ({@link PageToken})
     */
    public ListUsersResponse list(ListUsersRequest request) {
        BadRequestBuilder violations = new BadRequestBuilder();
        int size = PageSize.resolve(request.getPageSize());
        int after = PageToken.afterId(request.getPageToken(), violations);
        violations.throwIfAny();

        // range is inclusive: size + 1 rows tell whether another page follows
        List<UserEntity> users = UserEntity.find("id > ?1", Sort.by("id"), after).range(0, size).list();
        boolean more = users.size() > size;
        List<UserEntity> page = more ? users.subList(0, size) : users;
        Map<Integer, List<Order>> orders =
                OrderMapper.byUser(OrderEntity.withItemsOfUsers(page.stream().map(u -> u.id).toList()));

        ListUsersResponse.Builder response = ListUsersResponse.newBuilder();
        page.forEach(u -> response.addUsers(UserMapper.user(u, orders.getOrDefault(u.id, List.of()))));
        if (more) {
            response.setNextPageToken(PageToken.encode(page.get(page.size() - 1).id));
        }
        return response.build();
    }

    /**
     * CreateUser. Names and e-mail are stored without surrounding whitespace. With a {@code
     * request_id} (AIP-155) it is idempotent: see {@link RequestIds}. Callers that may race on one
     * request id run it through {@link RequestIds#retryingDuplicates} (as {@code UserGrpcService}
     * does).
     *
     * @param request {@code first_name}, {@code last_name} not blank, at most 100 characters;
     *     {@code email} an e-mail address, at most 254 characters; {@code request_id} empty or a UUID
     *     (all validated)
     * @return the new user, with its id, etag and no orders; for a repeated {@code request_id} with
     *     the same content, the user that request created, as it is now
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} on {@code request_id} when it
     *     was used before with different content; {@code ALREADY_EXISTS} when another user has the
     *     e-mail address (case-insensitive), also when a concurrent request took it first
     * @throws RequestIds.DuplicateRequest when a concurrent create with a request id committed first
     */
    @Transactional
    public User create(CreateUserRequest request) {
        UserEntity user = new UserEntity();
        user.firstName = clean(request.getFirstName());
        user.lastName = clean(request.getLastName());
        user.email = clean(request.getEmail());
        Optional<UUID> requestId = RequestIds.field(request.getRequestId());

        if (requestId.isPresent()) {
            user.requestId = requestId.get();
            user.requestHash = RequestIds.hash(user.firstName, user.lastName, user.email);
            User replay = replay(user);
            if (replay != null) {
                return replay;
            }
        }
        if (emailInUse(user.email, 0)) {
            // a create with the same request id may have committed since the lookup above
            User replay = user.requestId == null ? null : replay(user);
            if (replay != null) {
                return replay;
            }
            throw emailTaken();
        }
        save(user, true);
        return UserMapper.user(user, List.of());
    }

    /**
     * UpdateUser (AIP-134): changes the fields named by {@code update_mask}; see
     * {@link UserUpdateMask} for the mask rule. Only the named fields are written; a named name or
     * e-mail may not be empty (that would clear it).
     *
     * <p>Conditional (AIP-154) when {@code user.etag} is set and/or the call carries {@code if-match}
     * metadata ({@link IfMatch}): both must match the user's current etag. Without either it is
     * unconditional, but never a silent lost update: the row's version is checked at write time, so
     * an update that raced with another one fails with {@code ABORTED} instead of overwriting it.
     *
     * @param request {@code user.id} > 0 names the user; {@code user.*} carry the new values, valid
     *     where not empty; mask paths are fields of User that are neither immutable nor output only
     *     (all validated); {@code user.etag} empty or an etag
     * @return the updated user with their orders and new etag
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} naming {@code user.etag},
     *     {@code update_mask} (a path other than the three fields) or a named {@code user.*} field
     *     that is empty;
     *     {@code NOT_FOUND} when there is no such user; {@code ALREADY_EXISTS} when the new e-mail
     *     belongs to another user; {@code ABORTED} (ErrorInfo reason {@code ETAG_MISMATCH}, {@code
     *     IF_MATCH_FAILED} or {@code CONCURRENT_UPDATE}) when the user changed since the caller read it
     */
    @Transactional
    public User update(UpdateUserRequest request) {
        User changes = request.getUser();
        String firstName = clean(changes.getFirstName());
        String lastName = clean(changes.getLastName());
        String email = clean(changes.getEmail());
        BadRequestBuilder violations = new BadRequestBuilder();
        OptionalLong expected = Etags.field(changes.getEtag(), "user.etag", violations);
        Set<UserUpdateMask.Field> fields = UserUpdateMask.fields(request.getUpdateMask(), changes, violations);
        // the proto's value rules skip empty fields (AIP-134 partial updates send them); a field the
        // mask names is written, and names and e-mail addresses are never blank
        violations.check(!fields.contains(UserUpdateMask.Field.FIRST_NAME) || !firstName.isEmpty(),
                "user.first_name", "must not be blank");
        violations.check(!fields.contains(UserUpdateMask.Field.LAST_NAME) || !lastName.isEmpty(),
                "user.last_name", "must not be blank");
        violations.check(!fields.contains(UserUpdateMask.Field.EMAIL) || !email.isEmpty(),
                "user.email", "must not be blank");
        violations.throwIfAny();

        UserEntity user = find(changes.getId());
        Etags.check(resource(user.id), user.version, expected, IfMatch.current());
        if (fields.contains(UserUpdateMask.Field.EMAIL)) {
            requireEmailFree(email, user.id);
            user.email = email;
        }
        if (fields.contains(UserUpdateMask.Field.FIRST_NAME)) {
            user.firstName = firstName;
        }
        if (fields.contains(UserUpdateMask.Field.LAST_NAME)) {
            user.lastName = lastName;
        }
        save(user, false);
        return withOrders(user);
    }

    /**
     * DeleteUser (AIP-135).
     *
     * <p>Conditional (AIP-154) when {@code etag} is set and/or the call carries {@code if-match}
     * metadata: both must match the user's current etag.
     *
     * @param request {@code id} > 0 (validated); {@code force} also deletes the user's orders;
     *     {@code etag} empty or an etag
     * @return empty
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} (field {@code etag}); {@code
     *     ABORTED} (reason {@code ETAG_MISMATCH}, {@code IF_MATCH_FAILED} or {@code
     *     CONCURRENT_UPDATE}) when the user changed since the caller read it;
     *     {@code NOT_FOUND} when there is no such user; {@code FAILED_PRECONDITION}
     *     ({@code google.rpc.PreconditionFailure} type {@code ORDERS_EXIST}) when the user has orders
     *     and {@code force} is false, also when an order arrived concurrently
     */
    @Transactional
    public Empty delete(DeleteUserRequest request) {
        BadRequestBuilder violations = new BadRequestBuilder();
        OptionalLong expected = Etags.field(request.getEtag(), "etag", violations);
        violations.throwIfAny();
        UserEntity user = find(request.getId());
        Etags.check(resource(user.id), user.version, expected, IfMatch.current());
        if (request.getForce()) {
            OrderEntity.delete("userId", user.id);
        } else if (OrderEntity.count("userId", user.id) > 0) {
            throw ordersExist(user.id);
        }
        try {
            user.delete();
            UserEntity.flush();
        } catch (PersistenceException e) {
            if (Constraints.isViolation(e, Constraints.ORDERS_USER_FK)) {
                throw ordersExist(user.id);
            }
            if (DatabaseFailures.isOptimisticLockFailure(e)) {
                throw Etags.concurrentUpdate(resource(user.id));
            }
            throw e;
        }
        return Empty.getDefaultInstance();
    }

    /**
     * How names and e-mail addresses are stored: without surrounding whitespace. The proto's rules
     * guarantee a non-blank result: a valid name has a character that is neither whitespace
     * (ASCII nor Unicode) nor a control character, and a valid e-mail address has no whitespace.
     */
    private static String clean(String value) {
        return value.strip();
    }

    private static UserEntity find(int id) {
        UserEntity user = UserEntity.findById(id);
        if (user == null) {
            throw ApiErrors.notFound(USER, id);
        }
        return user;
    }

    private static User withOrders(UserEntity user) {
        List<Order> orders = OrderEntity.withItemsOfUser(user.id).stream().map(OrderMapper::order).toList();
        return UserMapper.user(user, orders);
    }

    /** ALREADY_EXISTS unless no user other than {@code ownId} (0: none) has {@code email}, ignoring case. */
    private static void requireEmailFree(String email, int ownId) {
        if (emailInUse(email, ownId)) {
            throw emailTaken();
        }
    }

    /** Whether a user other than {@code ownId} (0: none) has {@code email}, ignoring case. */
    private static boolean emailInUse(String email, int ownId) {
        return UserEntity.count("lower(email) = lower(?1) and id <> ?2", email, ownId) > 0;
    }

    /**
     * The user an earlier create with {@code candidate}'s request id made, as it is now, or null
     * when there is none.
     *
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} on {@code request_id} when that
     *     create had other content
     */
    private static User replay(UserEntity candidate) {
        UserEntity earlier = UserEntity.find("requestId", candidate.requestId).firstResult();
        if (earlier == null) {
            return null;
        }
        if (!earlier.requestHash.equals(candidate.requestHash)) {
            throw RequestIds.reusedForAnotherRequest("request_id");
        }
        return withOrders(earlier);
    }

    /**
     * Inserts or updates now, so that a race surfaces here: a unique-index race as ALREADY_EXISTS
     * (or, for a create with a request id, as {@link RequestIds.DuplicateRequest}, whose retry tells
     * a replay from a taken e-mail), a version race as ABORTED.
     */
    private static void save(UserEntity user, boolean creating) {
        try {
            user.persistAndFlush();
        } catch (PersistenceException e) {
            boolean unique = Constraints.isViolation(e, Constraints.USERS_EMAIL_UNIQUE)
                    || Constraints.isViolation(e, Constraints.USERS_REQUEST_ID_UNIQUE);
            if (unique && creating && user.requestId != null) {
                throw new RequestIds.DuplicateRequest("users");
            }
            if (Constraints.isViolation(e, Constraints.USERS_EMAIL_UNIQUE)) {
                throw emailTaken();
            }
            if (DatabaseFailures.isOptimisticLockFailure(e)) {
                throw Etags.concurrentUpdate(resource(user.id));
            }
            throw e;
        }
    }

    private static String resource(Integer id) {
        return USER + "s/" + id;
    }

    private static io.grpc.StatusRuntimeException emailTaken() {
        return ApiErrors.alreadyExists(USER, "another user has this e-mail address");
    }

    private static io.grpc.StatusRuntimeException ordersExist(int id) {
        return ApiErrors.failedPrecondition("ORDERS_EXIST", "users/" + id,
                "user " + id + " has orders; delete them first or set force");
    }
}
