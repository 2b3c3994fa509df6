package dev.tandem.validation;

import build.buf.protovalidate.Validator;
import build.buf.protovalidate.ValidatorFactory;
import build.buf.protovalidate.exceptions.CompilationException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import dev.tandem.rpc.RpcRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The {@link RequestRules} of every RPC the application serves, by full method name ({@code
 * user.v1.UserService/CreateUser}), built once at start-up from the services' proto descriptors:
 * the application's services of {@link RpcRegistry}, the same every protocol edge serves.
 *
 * <p>protovalidate's {@link Validator} is built here too, once, for every request type, with lazy
 * building off: every rule of every request compiles at start-up, and a rule whose CEL does not
 * compile stops the application from starting ({@link IllegalStateException}) instead of failing
 * the first call.
 */
@ApplicationScoped
public class ValidationRules {

    private static final Logger LOG = Logger.getLogger(ValidationRules.class);

    @Inject
    RpcRegistry registry;

    private volatile Map<String, RequestRules> byMethod;

    /** Builds the rules when the application starts. */
    void onStart(@Observes StartupEvent event) {
        rules();
    }

    /**
     * @param fullMethodName e.g. {@code user.v1.UserService/CreateUser}
     * @return the rules of that method's requests, or null for a method that is not one of the
     *     application's services (e.g. gRPC health or reflection), whose requests are not checked
     */
    RequestRules forMethod(String fullMethodName) {
        return rules().get(fullMethodName);
    }

    private Map<String, RequestRules> rules() {
        Map<String, RequestRules> rules = byMethod;
        if (rules == null) {
            synchronized (this) {
                if (byMethod == null) {
                    byMethod = build();
                }
                rules = byMethod;
            }
        }
        return rules;
    }

    private Map<String, RequestRules> build() {
        List<MethodDescriptor> methods = new ArrayList<>();
        for (io.grpc.ServerServiceDefinition service : registry.applicationServices()) {
            if (service.getServiceDescriptor().getSchemaDescriptor()
                    instanceof ProtoServiceDescriptorSupplier proto) {
                methods.addAll(proto.getServiceDescriptor().getMethods());
            }
        }
        Set<Descriptor> requestTypes = new LinkedHashSet<>();
        methods.forEach(m -> requestTypes.add(m.getInputType()));
        Validator validator;
        try {
            validator = ValidatorFactory.newBuilder().buildWithDescriptors(List.copyOf(requestTypes), true);
        } catch (CompilationException e) {
            throw new IllegalStateException("a protovalidate rule of the protos does not compile: " + e.getMessage(), e);
        }
        OutputOnlyFields outputOnly = new OutputOnlyFields();
        Map<Descriptor, RequestRules> byType = new HashMap<>();
        Map<String, RequestRules> out = new HashMap<>();
        for (MethodDescriptor m : methods) {
            RequestRules r = byType.computeIfAbsent(m.getInputType(), t -> new RequestRules(t, outputOnly, validator));
            out.put(m.getService().getFullName() + "/" + m.getName(), r);
        }
        LOG.debugf("Request validation prepared for %d methods", out.size());
        return Map.copyOf(out);
    }
}
