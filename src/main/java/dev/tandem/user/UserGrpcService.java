package dev.tandem.user;

import com.google.protobuf.Empty;
import dev.tandem.aip.RequestIds;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetAllUsersRequest;
import dev.tandem.api.user.v1.GetAllUsersResponse;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.ListUsersResponse;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.rpc.RpcService;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * gRPC endpoint {@code user.v1.UserService}. Each method is the blocking call of {@link UserService}
 * that does the work; {@code dev.tandem.rpc.ServiceDecorator} runs it on a worker and maps its
 * errors, for every protocol.
 */
@Singleton
@RpcService
public class UserGrpcService implements UserServiceGrpc.AsyncService {

    @Inject
    UserService users;

    /** {@code GetUserById}: see {@link UserService#get}. */
    @Override
    public void getUserById(GetUserRequest request, StreamObserver<GetUserResponse> response) {
        response.onNext(users.get(request));
        response.onCompleted();
    }

    /** {@code GetAllUsers}: see {@link UserService#getAll}. */
    @Override
    public void getAllUsers(GetAllUsersRequest request, StreamObserver<GetAllUsersResponse> response) {
        response.onNext(users.getAll());
        response.onCompleted();
    }

    /**
     * {@code CreateUser}: see {@link UserService#create}; a create that lost a race on its
     * {@code request_id} runs again and returns the winner's user ({@link RequestIds#retryingDuplicates}).
     */
    @Override
    public void createUser(CreateUserRequest request, StreamObserver<User> response) {
        response.onNext(RequestIds.retryingDuplicates(() -> users.create(request)));
        response.onCompleted();
    }

    /** {@code UpdateUser}: see {@link UserService#update}. */
    @Override
    public void updateUser(UpdateUserRequest request, StreamObserver<User> response) {
        response.onNext(users.update(request));
        response.onCompleted();
    }

    /** {@code DeleteUser}: see {@link UserService#delete}. */
    @Override
    public void deleteUser(DeleteUserRequest request, StreamObserver<Empty> response) {
        response.onNext(users.delete(request));
        response.onCompleted();
    }

    /** {@code ListUsers}: see {@link UserService#list}. */
    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> response) {
        response.onNext(users.list(request));
        response.onCompleted();
    }
}
