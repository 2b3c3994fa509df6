package dev.tandem.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import build.buf.validate.FieldRules;
import build.buf.validate.ValidateProto;
import com.google.protobuf.Descriptors.Descriptor;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.persistence.ItemEntity;
import dev.tandem.aip.PageSize;
import dev.tandem.persistence.UserEntity;
import org.junit.jupiter.api.Test;

/**
 * The limits declared in the protos ({@code (buf.validate.field)}) and the ones the code and the
 * schema rely on are the same numbers: name and e-mail lengths are the {@code varchar} sizes of the
 * entities, the page-size range is {@link PageSize}'s. Read from the generated descriptors, so a
 * change on one side fails here instead of letting a value through that the database refuses.
 */
class ProtoConstraintsTest {

    private static FieldRules rules(Descriptor message, String field) {
        return message.findFieldByName(field).getOptions().getExtension(ValidateProto.field);
    }

    @Test
    void nameAndEmailLengthsAreTheColumnSizes() {
        for (Descriptor d : new Descriptor[] {User.getDescriptor(), CreateUserRequest.getDescriptor()}) {
            assertEquals(UserEntity.NAME_MAX, rules(d, "first_name").getString().getMaxLen(), d.getFullName());
            assertEquals(UserEntity.NAME_MAX, rules(d, "last_name").getString().getMaxLen(), d.getFullName());
            assertEquals(UserEntity.EMAIL_MAX, rules(d, "email").getString().getMaxLen(), d.getFullName());
            assertTrue(rules(d, "email").getString().getEmail(), d.getFullName());
        }
        assertEquals(ItemEntity.NAME_MAX, rules(CreateItemRequest.getDescriptor(), "name").getString().getMaxLen());
    }

    @Test
    void pageSizeRangeIsPageSizes() {
        FieldRules pageSize = rules(ListUsersRequest.getDescriptor(), "page_size");
        assertEquals(0, pageSize.getInt32().getGte());
        assertEquals(PageSize.MAX, pageSize.getInt32().getLte());
    }
}
