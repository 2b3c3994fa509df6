package dev.tandem.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import build.buf.protovalidate.Validator;
import build.buf.protovalidate.ValidatorFactory;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import dev.tandem.testing.api.CreateShelfRequest;
import dev.tandem.testing.api.Label;
import dev.tandem.testing.api.Shelf;
import dev.tandem.testing.api.UpdateShelfRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code google.api.field_behavior} rules of {@link RequestRules} on test-only messages (
 * {@code tandem/testing/field_behavior.proto}) that have what Tandem's own protos lack: a declared
 * {@code IMMUTABLE} field in an update request's resource, output-only and required fields at depth,
 * a type inside itself. Plain JUnit: the rules are pure functions of descriptors and messages.
 */
class FieldBehaviorRulesTest {

    private static final Validator VALIDATOR = validator();

    private static Validator validator() {
        try {
            return ValidatorFactory.newBuilder().buildWithDescriptors(
                    List.of(UpdateShelfRequest.getDescriptor(), CreateShelfRequest.getDescriptor()), true);
        } catch (build.buf.protovalidate.exceptions.CompilationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final RequestRules UPDATE =
            new RequestRules(UpdateShelfRequest.getDescriptor(), new OutputOnlyFields(), VALIDATOR);
    private static final RequestRules CREATE =
            new RequestRules(CreateShelfRequest.getDescriptor(), new OutputOnlyFields(), VALIDATOR);

    private static List<String> violations(RequestRules rules, Message request) throws Exception {
        BadRequest bad = rules.apply(request).violations();
        return bad == null ? List.of() : bad.getFieldViolationsList().stream()
                .map(v -> v.getField() + ": " + v.getDescription()).toList();
    }

    private static UpdateShelfRequest update(Shelf.Builder shelf, String... paths) {
        return UpdateShelfRequest.newBuilder().setShelf(shelf)
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths))).build();
    }

    @Test
    void aMaskNamingAnImmutableOrIdentifierFieldIsRefused() throws Exception {
        Shelf.Builder shelf = Shelf.newBuilder().setName("shelves/1").setTheme("new").setTitle("t");
        assertEquals(List.of("update_mask: path \"theme\" is immutable and may not be updated (AIP-203)"),
                violations(UPDATE, update(shelf, "title", "theme")));
        assertEquals(List.of("update_mask: path \"name\" is immutable and may not be updated (AIP-203)"),
                violations(UPDATE, update(shelf, "name")));
        assertEquals(List.of("update_mask: path \"parent.theme\" is immutable and may not be updated (AIP-203)"),
                violations(UPDATE, update(shelf, "parent.theme")));
        assertEquals(List.of(), violations(UPDATE, update(shelf, "title")));
        assertEquals(List.of(), violations(UPDATE, update(shelf, "*")), "* means the updatable fields");
    }

    @Test
    void aMaskNamingOutputOnlyOrUnknownPathsIsRefusedOncePerPath() throws Exception {
        Shelf.Builder shelf = Shelf.newBuilder().setName("shelves/1");
        assertEquals(List.of(
                "update_mask: path \"create_time\" is output only and may not be updated",
                "update_mask: path \"colour\" is not a field of tandem.testing.Shelf",
                "update_mask: path \"title.length\" is not a field of tandem.testing.Shelf",
                "update_mask: path \"children.title\" is not a field of tandem.testing.Shelf"),
                violations(UPDATE, update(shelf, "create_time", "colour", "title.length", "children.title")));
    }

    @Test
    void withoutAMaskAPopulatedImmutableFieldIsRefusedButTheIdentifierIsNot() throws Exception {
        assertEquals(List.of("shelf.theme: is immutable and may not be updated (AIP-203)"),
                violations(UPDATE, UpdateShelfRequest.newBuilder()
                        .setShelf(Shelf.newBuilder().setName("shelves/1").setTheme("new")).build()));
        assertEquals(List.of(), violations(UPDATE, UpdateShelfRequest.newBuilder()
                .setShelf(Shelf.newBuilder().setName("shelves/1").setTitle("t")).build()));
    }

    @Test
    void outputOnlyValuesAreClearedAtAnyDepthAndTheRestIsKept() throws Exception {
        Shelf.Builder shelf = Shelf.newBuilder().setName("shelves/1").setTitle("t").setCreateTime("now")
                .setParent(Shelf.newBuilder().setTitle("p").setCreateTime("then")
                        .setLabel(Label.newBuilder().setText("x").setPrintedBy("me")))
                .addChildren(Shelf.newBuilder().setTitle("c0"))
                .addChildren(Shelf.newBuilder().setTitle("c1").setCreateTime("later"));
        RequestRules.Outcome outcome = UPDATE.apply(update(shelf, "title"));
        assertTrue(outcome.accepted());
        Shelf expected = Shelf.newBuilder().setName("shelves/1").setTitle("t")
                .setParent(Shelf.newBuilder().setTitle("p").setLabel(Label.newBuilder().setText("x")))
                .addChildren(Shelf.newBuilder().setTitle("c0"))
                .addChildren(Shelf.newBuilder().setTitle("c1"))
                .build();
        assertEquals(expected, ((UpdateShelfRequest) outcome.request()).getShelf());

        UpdateShelfRequest clean = update(Shelf.newBuilder().setName("shelves/1").setTitle("t"), "title");
        assertSame(clean, UPDATE.apply(clean).request(), "nothing to clear: the request itself");
    }

    @Test
    void outputOnlyValuesAreClearedBeforeTheOtherRules() throws Exception {
        // an output-only value is ignored, never a reason to refuse: the too-long title inside it is gone
        CreateShelfRequest request = CreateShelfRequest.newBuilder()
                .setShelf(Shelf.newBuilder().setTitle("ok").setArchivedCopy(Shelf.newBuilder().setTitle("far too long")))
                .build();
        assertEquals(List.of(), violations(CREATE, request));
        assertEquals(Shelf.newBuilder().setTitle("ok").build(), ((CreateShelfRequest) CREATE.apply(request).request()).getShelf());
    }

    @Test
    void requiredFieldsMustBeSetAlsoInsideMessagesThatAreGiven() throws Exception {
        assertEquals(List.of("shelf: is required"), violations(CREATE, CreateShelfRequest.getDefaultInstance()));
        assertEquals(List.of("first_label.text: is required"), violations(CREATE, CreateShelfRequest.newBuilder()
                .setShelf(Shelf.newBuilder().setTitle("ok")).setFirstLabel(Label.getDefaultInstance()).build()));
        // the resource of an update is partial (AIP-134): its label may lack the text
        assertEquals(List.of(), violations(UPDATE, update(Shelf.newBuilder().setName("shelves/1")
                .setLabel(Label.getDefaultInstance()), "label")));
        assertEquals(List.of("shelf: is required"), violations(UPDATE, UpdateShelfRequest.getDefaultInstance()));
    }

    @Test
    void protovalidateAndFieldBehaviorViolationsComeTogetherInFieldOrder() throws Exception {
        assertEquals(List.of("shelf.title: length must be at most 5 characters",
                        "update_mask: path \"theme\" is immutable and may not be updated (AIP-203)"),
                violations(UPDATE, update(Shelf.newBuilder().setName("shelves/1").setTitle("too long"), "theme")));
        assertNull(UPDATE.apply(update(Shelf.newBuilder().setTitle("fine"), "title")).violations());
    }
}
