package dev.tandem.protocol.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.tandem.transcoding.openapi.OpenApiGenerator;
import dev.tandem.transcoding.openapi.ProtoComments;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.smallrye.openapi.api.util.MergeUtil;
import io.smallrye.openapi.runtime.io.IOContext;
import io.smallrye.openapi.api.OpenApiConfig;
import io.smallrye.openapi.runtime.io.JsonIO;
import io.smallrye.openapi.runtime.io.OpenAPIDefinitionIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.jboss.logging.Logger;

/**
 * Adds the transcoded REST routes to the document SmallRye OpenAPI serves at {@code /q/openapi}
 * (and Swagger UI shows at {@code /q/swagger-ui}), once, at start-up, from the same route table
 * the REST handler serves: whatever else SmallRye describes (JAX-RS resources) stays.
 *
 * <p>Descriptions come from the proto comments in {@value #DESCRIPTOR_SET}, a descriptor set with
 * source info written at build time; without it the document has no descriptions.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenApiDocumentFilter implements OASFilter {

    /** Classpath resource of the API's descriptor set with source info. */
    public static final String DESCRIPTOR_SET = "META-INF/tandem/api-descriptor-set.binpb";

    private static final Logger LOG = Logger.getLogger(OpenApiDocumentFilter.class);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        TranscodingRoutes routes = Arc.container().instance(TranscodingRoutes.class).get();
        if (!routes.enabled()) {
            return;
        }
        ObjectNode doc = document(routes);
        JsonIO<Object, Object, Object, Object, Object> json =
                JsonIO.newInstance(OpenApiConfig.fromConfig(ConfigProvider.getConfig()));
        OpenAPI generated = new OpenAPIDefinitionIO<>(IOContext.forJson(json)).readObject(json.fromString(
                doc.toString(), io.smallrye.openapi.runtime.io.Format.JSON));
        MergeUtil.merge(openAPI, generated);
    }

    /**
     * @param routes the served routes
     * @return the OpenAPI 3.1 document of the REST facade alone
     */
    static ObjectNode document(TranscodingRoutes routes) {
        var config = ConfigProvider.getConfig();
        String title = config.getOptionalValue("quarkus.application.name", String.class).orElse("API");
        String version = config.getOptionalValue("quarkus.application.version", String.class).orElse("0");
        return OpenApiGenerator.generate(routes.routeTable().routes(), comments(), title, version);
    }

    private static ProtoComments comments() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(DESCRIPTOR_SET)) {
            if (in == null) {
                LOG.warnf("%s is missing: the OpenAPI document has no descriptions", DESCRIPTOR_SET);
                return ProtoComments.NONE;
            }
            return ProtoComments.of(FileDescriptorSet.parseFrom(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DESCRIPTOR_SET, e);
        }
    }
}
