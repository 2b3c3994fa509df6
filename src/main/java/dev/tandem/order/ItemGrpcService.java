package dev.tandem.order;

import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.ListItemsRequest;
import dev.tandem.api.orders.v1.ListItemsResponse;
import dev.tandem.api.orders.v1.MutinyItemServiceGrpc;
import dev.tandem.rpc.Offload;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * gRPC endpoint {@code orders.v1.ItemService}. Each method delegates to {@link ItemService} on a
 * worker thread ({@link Offload}) and never blocks the caller; errors are those of
 * {@link ItemService}.
 */
@GrpcService
public class ItemGrpcService extends MutinyItemServiceGrpc.ItemServiceImplBase {

    @Inject
    ItemService items;

    /** {@code ListItems}: see {@link ItemService#list()}. */
    @Override
    public Uni<ListItemsResponse> listItems(ListItemsRequest request) {
        return Offload.blocking(() -> items.list());
    }

    /** {@code GetItem}: see {@link ItemService#get}. */
    @Override
    public Uni<Item> getItem(GetItemRequest request) {
        return Offload.blocking(() -> items.get(request));
    }

    /** {@code CreateItem}: see {@link ItemService#create}. */
    @Override
    public Uni<Item> createItem(CreateItemRequest request) {
        return Offload.blocking(() -> items.create(request));
    }

    /** @return the service, with malformed requests answered {@code INVALID_ARGUMENT} */
    @Override
    public io.grpc.ServerServiceDefinition bindService() {
        return dev.tandem.rpc.InvalidArgumentOnParseError.wrap(super.bindService());
    }
}
