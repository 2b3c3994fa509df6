package dev.tandem.order;

import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.api.orders.v1.ImportItemsRequest;
import dev.tandem.api.orders.v1.ImportItemsResponse;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.api.orders.v1.ListItemsRequest;
import dev.tandem.api.orders.v1.ListItemsResponse;
import dev.tandem.rpc.RpcService;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * gRPC endpoint {@code orders.v1.ItemService}. Each method is the blocking call of {@link ItemService}
 * that does the work; {@code dev.tandem.rpc.ServiceDecorator} runs it on a worker and maps its
 * errors, for every protocol.
 */
@Singleton
@RpcService
public class ItemGrpcService implements ItemServiceGrpc.AsyncService {

    @Inject
    ItemService items;

    /** {@code ListItems}: see {@link ItemService#list()}. */
    @Override
    public void listItems(ListItemsRequest request, StreamObserver<ListItemsResponse> response) {
        response.onNext(items.list());
        response.onCompleted();
    }

    /** {@code GetItem}: see {@link ItemService#get}. */
    @Override
    public void getItem(GetItemRequest request, StreamObserver<Item> response) {
        response.onNext(items.get(request));
        response.onCompleted();
    }

    /** {@code CreateItem}: see {@link ItemService#create}. */
    @Override
    public void createItem(CreateItemRequest request, StreamObserver<Item> response) {
        response.onNext(items.create(request));
        response.onCompleted();
    }

    /** {@code ImportItems}: see {@link ItemService#importCsv}. */
    @Override
    public void importItems(ImportItemsRequest request, StreamObserver<ImportItemsResponse> response) {
        response.onNext(items.importCsv(request));
        response.onCompleted();
    }
}
