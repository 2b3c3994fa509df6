package dev.tandem.transcoding;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a field of a message type by its proto name ({@code first_name}) or its JSON name ({@code
 * firstName}); the proto3 JSON mapping says parsers accept both. Lookups are cached per type.
 */
final class FieldLookup {

    private static final Map<Descriptor, Map<String, FieldDescriptor>> CACHE = new ConcurrentHashMap<>();

    private FieldLookup() {}

    /**
     * @param type the message type
     * @param name a proto or JSON field name
     * @return the field, or {@code null} if {@code type} has none by that name
     */
    static FieldDescriptor find(Descriptor type, String name) {
        return CACHE.computeIfAbsent(type, FieldLookup::index).get(name);
    }

    private static Map<String, FieldDescriptor> index(Descriptor type) {
        Map<String, FieldDescriptor> byName = new HashMap<>();
        for (FieldDescriptor fd : type.getFields()) {
            byName.put(fd.getJsonName(), fd);
        }
        for (FieldDescriptor fd : type.getFields()) {
            byName.put(fd.getName(), fd); // the proto name wins a clash
        }
        return Map.copyOf(byName);
    }
}
