package dev.tandem.order;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static dev.tandem.GrpcAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.api.orders.v1.ListItemsRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code orders.v1.ItemService} over gRPC. */
@QuarkusTest
class ItemGrpcServiceTest {

    @GrpcClient("tandem")
    ItemServiceGrpc.ItemServiceBlockingStub items;

    @Inject
    TestDb db;

    @Test
    void listItemsStartsWithTheDemoCatalogue() {
        List<Item> all = items.listItems(ListItemsRequest.getDefaultInstance()).getItemsList();
        assertEquals(db.count("item"), all.size());
        assertEquals(List.of("pencil", "book", "magic stick", "ball"), all.subList(0, 4).stream().map(Item::getName).toList());
        assertEquals(List.of(1, 2, 3, 4), all.subList(0, 4).stream().map(Item::getId).toList());
    }

    @Test
    void getItem() {
        assertEquals(Item.newBuilder().setId(3).setName("magic stick").build(), items.getItem(GetItemRequest.newBuilder().setId(3).build()));
    }

    @Test
    void getItemUnknownOrInvalid() {
        assertStatus(Status.Code.NOT_FOUND, () -> items.getItem(GetItemRequest.newBuilder().setId(999_999).build()));
        assertInvalid(() -> items.getItem(GetItemRequest.newBuilder().setId(0).build()), "id");
    }

    @Test
    void createItemThenGetAndListIt() {
        Item created = items.createItem(CreateItemRequest.newBuilder().setName(" kite ").build());
        assertTrue(created.getId() > 4, "ids after the demo ids");
        assertEquals("kite", created.getName());
        assertEquals(created, items.getItem(GetItemRequest.newBuilder().setId(created.getId()).build()));
        assertTrue(items.listItems(ListItemsRequest.getDefaultInstance()).getItemsList().contains(created));
    }

    @Test
    void createItemRejectsBadNamesAndWritesNothing() {
        String before = db.snapshot();
        assertInvalid(() -> items.createItem(CreateItemRequest.newBuilder().setName("   ").build()), "name");
        assertInvalid(() -> items.createItem(CreateItemRequest.newBuilder().setName("x".repeat(256)).build()), "name");
        assertInvalid(() -> items.createItem(CreateItemRequest.newBuilder().setName("a\u0000b").build()), "name");
        assertEquals(before, db.snapshot());
    }
}
