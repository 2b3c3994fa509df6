package dev.tandem.transcoding;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.HashMap;
import java.util.Map;

/**
 * The message types of an earlier contract, from a descriptor set (protoc {@code
 * --descriptor_set_out --include_imports}): for Tandem, the ORIGINAL {@code user.v1} and {@code
 * orders.v1} protos of {@code WIRE-COMPAT.md}, kept in {@code src/main/proto-original} and compiled
 * to {@value #RESOURCE}. The {@code JSPB_OBJECT} response form writes a response as that contract's
 * type of the same full name, so fields added since (such as {@code etag}) stay out. Immutable.
 */
public final class JspbContract {

    /** Classpath resource of the original contract's descriptor set, written at build time. */
    public static final String RESOURCE = "META-INF/tandem/original-descriptor-set.binpb";

    /** A contract without types: a {@code JSPB_OBJECT} form then fails start-up. */
    public static final JspbContract NONE = new JspbContract(Map.of());

    private final Map<String, Descriptor> types;

    private JspbContract(Map<String, Descriptor> types) {
        this.types = types;
    }

    /**
     * @param set a descriptor set that includes every file its files import
     * @return its message types (nested ones too), by full name
     * @throws IllegalArgumentException if a file's import is missing or a file is invalid
     */
    public static JspbContract of(FileDescriptorSet set) {
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        for (FileDescriptorProto f : set.getFileList()) {
            protos.put(f.getName(), f);
        }
        Map<String, FileDescriptor> built = new HashMap<>();
        Map<String, Descriptor> types = new HashMap<>();
        for (String name : protos.keySet()) {
            for (Descriptor d : build(name, protos, built).getMessageTypes()) {
                collect(d, types);
            }
        }
        return new JspbContract(Map.copyOf(types));
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
            Map<String, FileDescriptor> built) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            throw new IllegalArgumentException("the descriptor set lacks " + name);
        }
        FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
        for (int i = 0; i < deps.length; i++) {
            deps[i] = build(proto.getDependency(i), protos, built);
        }
        try {
            FileDescriptor fd = FileDescriptor.buildFrom(proto, deps);
            built.put(name, fd);
            return fd;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("invalid descriptor " + name + ": " + e.getMessage(), e);
        }
    }

    private static void collect(Descriptor d, Map<String, Descriptor> types) {
        types.put(d.getFullName(), d);
        for (Descriptor nested : d.getNestedTypes()) {
            collect(nested, types);
        }
    }

    /**
     * @param fullName e.g. {@code user.v1.GetUserResponse}
     * @return the contract's type of that name, or {@code null}
     */
    public Descriptor type(String fullName) {
        return types.get(fullName);
    }
}
