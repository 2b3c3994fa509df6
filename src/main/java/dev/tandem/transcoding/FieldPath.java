package dev.tandem.transcoding;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * A dotted path of request fields, e.g. {@code user.id}, resolved against a message type once and
 * then used to set values on request builders.
 *
 * <p>Every field but the last must be a singular message field.
 */
public final class FieldPath {

    private final String text;
    private final FieldDescriptor[] fields;

    private FieldPath(String text, FieldDescriptor[] fields) {
        this.text = text;
        this.fields = fields;
    }

    /**
     * Resolves {@code path} against {@code type}, by proto field names only, as path template
     * variables are written.
     *
     * @param type the message type the path starts at
     * @param path dotted field names, e.g. {@code sub.subfield}
     * @return the resolved path
     * @throws IllegalArgumentException naming the first name that is unknown, or a field that is not
     *     a singular message but is followed by another name
     */
    public static FieldPath resolve(Descriptor type, String path) {
        return resolve(type, path, false);
    }

    /**
     * Resolves {@code path} against {@code type}, accepting proto and JSON names at every step, as
     * query parameters may be written.
     *
     * @param type the message type the path starts at
     * @param path dotted field names, e.g. {@code sub.subfield} or {@code subField}
     * @return the resolved path
     * @throws IllegalArgumentException as {@link #resolve(Descriptor, String)}
     */
    public static FieldPath resolveLenient(Descriptor type, String path) {
        return resolve(type, path, true);
    }

    private static FieldPath resolve(Descriptor type, String path, boolean jsonNames) {
        String[] names = path.split("\\.", -1);
        List<FieldDescriptor> out = new ArrayList<>(names.length);
        Descriptor current = type;
        for (int i = 0; i < names.length; i++) {
            FieldDescriptor fd = jsonNames ? FieldLookup.find(current, names[i]) : current.findFieldByName(names[i]);
            if (fd == null) {
                throw new IllegalArgumentException(
                        "no field '" + names[i] + "' in " + current.getFullName() + " (path '" + path + "')");
            }
            out.add(fd);
            if (i < names.length - 1) {
                if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE || fd.isRepeated()) {
                    throw new IllegalArgumentException("field '" + fd.getName() + "' in path '" + path
                            + "' is not a singular message, so it has no subfields");
                }
                current = fd.getMessageType();
            }
        }
        return new FieldPath(path, out.toArray(new FieldDescriptor[0]));
    }

    /**
     * Identifies a path by its fields, whatever names (proto or JSON) spelled it.
     *
     * @param fields the fields from the root
     */
    public record Key(List<FieldDescriptor> fields) {}

    /** @return this path's identity: equal for {@code sub.sub_field} and {@code sub.subField} */
    public Key key() {
        return new Key(List.of(fields));
    }

    /**
     * Whether this path is {@code fields} or one of its ancestors: its fields are a prefix of
     * {@code fields}. A path variable bound to {@code sub} binds {@code sub.subfield} too.
     *
     * @param fields a field path from the same root type
     * @return true if this path's fields are a prefix of (or equal to) {@code fields}
     */
    public boolean isPrefixOf(List<FieldDescriptor> fields) {
        if (fields.size() < this.fields.length) {
            return false;
        }
        for (int i = 0; i < this.fields.length; i++) {
            if (!this.fields[i].equals(fields.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** @return the last field of the path */
    public FieldDescriptor leaf() {
        return fields[fields.length - 1];
    }

    /** @return the first field of the path, a field of the type it was resolved against */
    public FieldDescriptor root() {
        return fields[0];
    }

    /** @return the number of fields in the path */
    public int length() {
        return fields.length;
    }

    /** @return the i-th field, from the root */
    public FieldDescriptor field(int i) {
        return fields[i];
    }

    /**
     * The builder that holds the leaf field, creating intermediate messages as needed.
     *
     * @param root the builder of the type this path was resolved against
     * @return the builder of the message that declares {@link #leaf()}
     */
    public Message.Builder leafParent(Message.Builder root) {
        Message.Builder b = root;
        for (int i = 0; i < fields.length - 1; i++) {
            b = b.getFieldBuilder(fields[i]);
        }
        return b;
    }

    /** @return the path as written, e.g. {@code user.id} */
    @Override
    public String toString() {
        return text;
    }
}
