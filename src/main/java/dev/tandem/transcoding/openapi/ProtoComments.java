package dev.tandem.transcoding.openapi;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.GenericDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leading comments of proto elements, read from the source info of a {@code FileDescriptorSet}
 * (protoc {@code --include_source_info}), by full name: {@code user.v1.User}, {@code
 * user.v1.User.email}, {@code user.v1.UserService.GetUserById}, {@code orders.v1.Color.RED}.
 *
 * <p>Paths follow {@code google/protobuf/descriptor.proto}: in a file, 4 = message_type, 5 =
 * enum_type, 6 = service; in a message, 2 = field, 3 = nested_type, 4 = enum_type; in an enum, 2 =
 * value; in a service, 2 = method.
 */
public final class ProtoComments {

    /** No comments at all: every lookup answers the empty string. */
    public static final ProtoComments NONE = new ProtoComments(Map.of());

    private final Map<String, String> byName;

    private ProtoComments(Map<String, String> byName) {
        this.byName = byName;
    }

    /**
     * @param set descriptors with source info; files without it contribute nothing
     * @return the comments of every element of every file
     */
    public static ProtoComments of(FileDescriptorSet set) {
        Map<String, String> out = new HashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            Map<List<Integer>, String> byPath = new HashMap<>();
            for (SourceCodeInfo.Location loc : file.getSourceCodeInfo().getLocationList()) {
                if (loc.hasLeadingComments()) {
                    byPath.put(loc.getPathList(), clean(loc.getLeadingComments()));
                }
            }
            if (byPath.isEmpty()) {
                continue;
            }
            String pkg = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
            for (int i = 0; i < file.getMessageTypeCount(); i++) {
                message(file.getMessageType(i), pkg, List.of(4, i), byPath, out);
            }
            for (int i = 0; i < file.getEnumTypeCount(); i++) {
                enumType(file.getEnumType(i), pkg, List.of(5, i), byPath, out);
            }
            for (int i = 0; i < file.getServiceCount(); i++) {
                ServiceDescriptorProto s = file.getService(i);
                put(out, pkg + s.getName(), byPath.get(List.of(6, i)));
                for (int m = 0; m < s.getMethodCount(); m++) {
                    put(out, pkg + s.getName() + "." + s.getMethod(m).getName(), byPath.get(List.of(6, i, 2, m)));
                }
            }
        }
        return new ProtoComments(Map.copyOf(out));
    }

    private static void message(DescriptorProto m, String prefix, List<Integer> path,
            Map<List<Integer>, String> byPath, Map<String, String> out) {
        String name = prefix + m.getName();
        put(out, name, byPath.get(path));
        for (int f = 0; f < m.getFieldCount(); f++) {
            put(out, name + "." + m.getField(f).getName(), byPath.get(append(path, 2, f)));
        }
        for (int n = 0; n < m.getNestedTypeCount(); n++) {
            message(m.getNestedType(n), name + ".", append(path, 3, n), byPath, out);
        }
        for (int e = 0; e < m.getEnumTypeCount(); e++) {
            enumType(m.getEnumType(e), name + ".", append(path, 4, e), byPath, out);
        }
    }

    private static void enumType(EnumDescriptorProto e, String prefix, List<Integer> path,
            Map<List<Integer>, String> byPath, Map<String, String> out) {
        String name = prefix + e.getName();
        put(out, name, byPath.get(path));
        for (int v = 0; v < e.getValueCount(); v++) {
            put(out, name + "." + e.getValue(v).getName(), byPath.get(append(path, 2, v)));
        }
    }

    private static List<Integer> append(List<Integer> path, int a, int b) {
        Integer[] out = path.toArray(new Integer[path.size() + 2]);
        out[path.size()] = a;
        out[path.size() + 1] = b;
        return List.of(out);
    }

    private static void put(Map<String, String> out, String name, String comment) {
        if (comment != null && !comment.isEmpty()) {
            out.put(name, comment);
        }
    }

    /** Drops the single leading space protoc keeps on every comment line, and outer blank lines. */
    private static String clean(String comment) {
        StringBuilder sb = new StringBuilder();
        for (String line : comment.split("\n", -1)) {
            sb.append(line.startsWith(" ") ? line.substring(1) : line).append('\n');
        }
        return sb.toString().strip();
    }

    /**
     * @param d a message, field, enum, enum value, service or method
     * @return its leading comment, or the empty string
     */
    public String of(GenericDescriptor d) {
        return byName.getOrDefault(d.getFullName(), "");
    }

    /**
     * @param fullName a full proto name
     * @return its leading comment, or the empty string
     */
    public String of(String fullName) {
        return byName.getOrDefault(fullName, "");
    }
}
