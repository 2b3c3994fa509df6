package dev.tandem.order;

import dev.tandem.persistence.ItemEntity;

import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.ListItemsResponse;
import dev.tandem.error.ApiErrors;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Use cases of {@code orders.v1.ItemService}: the item catalogue, one transaction each. Blocking
 * (JDBC): call it from a worker thread, as {@code dev.tandem.rpc.ServiceDecorator} does for every RPC. Requests
 * arrive validated against the rules of {@code order.proto} by {@code
 * dev.tandem.validation.ValidationInterceptor}.
 */
@ApplicationScoped
public class ItemService {

    /**
     * ListItems: every item, by id. Not paginated: the catalogue is small (proto comment).
     *
     * @return all items
     */
    @Transactional
    public ListItemsResponse list() {
        ListItemsResponse.Builder response = ListItemsResponse.newBuilder();
        ItemEntity.<ItemEntity>listAll(Sort.by("id")).forEach(i -> response.addItems(OrderMapper.item(i)));
        return response.build();
    }

    /**
     * GetItem.
     *
     * @param request {@code id} > 0 (validated)
     * @return the item
     * @throws io.grpc.StatusRuntimeException {@code NOT_FOUND} when there is no such item
     */
    @Transactional
    public Item get(GetItemRequest request) {
        ItemEntity item = ItemEntity.findById(request.getId());
        if (item == null) {
            throw ApiErrors.notFound("item", request.getId());
        }
        return OrderMapper.item(item);
    }

    /**
     * CreateItem. The name is stored without surrounding whitespace; names need not be unique.
     *
     * @param request {@code name} not blank, at most {@value ItemEntity#NAME_MAX} characters, no
     *     control characters (validated, so it is not blank once stripped either)
     * @return the new item with its id
     */
    @Transactional
    public Item create(CreateItemRequest request) {
        String name = request.getName().strip();
        ItemEntity item = new ItemEntity();
        item.name = name;
        item.persistAndFlush();
        return OrderMapper.item(item);
    }
}
