package dev.tandem.user;

import com.google.protobuf.Empty;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetAllUsersRequest;
import dev.tandem.api.user.v1.GetAllUsersResponse;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.ListUsersResponse;
import dev.tandem.api.user.v1.MutinyUserServiceGrpc;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.aip.RequestIds;
import dev.tandem.rpc.Offload;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * gRPC endpoint {@code user.v1.UserService}. Each method delegates to {@link UserService} on a
 * worker thread ({@link Offload}) and never blocks the caller; errors are those of
 * {@link UserService}.
 */
@GrpcService
public class UserGrpcService extends MutinyUserServiceGrpc.UserServiceImplBase {

    @Inject
    UserService users;

    /** {@code GetUserById}: see {@link UserService#get}. */
    @Override
    public Uni<GetUserResponse> getUserById(GetUserRequest request) {
        return Offload.blocking(() -> users.get(request));
    }

    /** {@code GetAllUsers}: see {@link UserService#getAll}. */
    @Override
    public Uni<GetAllUsersResponse> getAllUsers(GetAllUsersRequest request) {
        return Offload.blocking(() -> users.getAll());
    }

    /**
     * {@code CreateUser}: see {@link UserService#create}; a create that lost a race on its
     * {@code request_id} runs again and returns the winner's user ({@link RequestIds#retryingDuplicates}).
     */
    @Override
    public Uni<User> createUser(CreateUserRequest request) {
        return Offload.blocking(() -> RequestIds.retryingDuplicates(() -> users.create(request)));
    }

    /** {@code UpdateUser}: see {@link UserService#update}. */
    @Override
    public Uni<User> updateUser(UpdateUserRequest request) {
        return Offload.blocking(() -> users.update(request));
    }

    /** {@code DeleteUser}: see {@link UserService#delete}. */
    @Override
    public Uni<Empty> deleteUser(DeleteUserRequest request) {
        return Offload.blocking(() -> users.delete(request));
    }

    /** {@code ListUsers}: see {@link UserService#list}. */
    @Override
    public Uni<ListUsersResponse> listUsers(ListUsersRequest request) {
        return Offload.blocking(() -> users.list(request));
    }

    /** @return the service, with malformed requests answered {@code INVALID_ARGUMENT} */
    @Override
    public io.grpc.ServerServiceDefinition bindService() {
        return dev.tandem.rpc.InvalidArgumentOnParseError.wrap(super.bindService());
    }
}
