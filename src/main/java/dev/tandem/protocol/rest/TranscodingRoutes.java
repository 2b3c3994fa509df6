package dev.tandem.protocol.rest;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.tandem.rpc.RpcRegistry;
import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.JspbContract;
import dev.tandem.transcoding.RequestBinder;
import dev.tandem.transcoding.Route;
import dev.tandem.transcoding.RouteCompiler;
import dev.tandem.transcoding.RouteTable;
import dev.tandem.transcoding.RpcMethod;
import dev.tandem.transcoding.TranscodingOptions;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/**
 * Installs the REST facade when Quarkus builds its HTTP router: compiles the {@code
 * google.api.http} rules of every served gRPC service into one {@link RouteTable} and mounts a
 * {@link TranscodingHandler} in front of the other routes.
 *
 * <p>An invalid or conflicting rule throws here, so the application fails to start with a message
 * naming the RPC and the rule. Requests that match no rule pass on to the next route (health,
 * metrics, gRPC itself), so the facade shares the port with everything else; a request that no
 * route at all serves gets a {@code google.rpc.Status} 404 rather than an HTML page.
 */
@ApplicationScoped
public class TranscodingRoutes {

    /** Before Quarkus REST and the other application routes. */
    static final int ROUTE_ORDER = -100;

    private static final Logger LOG = Logger.getLogger(TranscodingRoutes.class);

    @Inject
    RpcRegistry registry;

    @Inject
    TranscodingConfig config;

    private RouteTable table;

    /**
     * The routes of every served gRPC service, compiled on first use and kept.
     *
     * @return the route table the handler serves and the OpenAPI document describes
     * @throws dev.tandem.transcoding.InvalidHttpRuleException on an invalid or conflicting rule
     */
    public synchronized RouteTable routeTable() {
        if (table == null) {
            table = RouteTable.of(RouteCompiler.compile(RpcMethod.of(registry.services()), originalContract()));
        }
        return table;
    }

    /**
     * @return the original contract's types ({@value JspbContract#RESOURCE}), for the routes that
     *     answer in its jspb object form
     * @throws IllegalStateException if the resource is missing or unreadable: the build writes it
     */
    static JspbContract originalContract() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(JspbContract.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(JspbContract.RESOURCE + " is missing from the classpath");
            }
            return JspbContract.of(FileDescriptorSet.parseFrom(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + JspbContract.RESOURCE, e);
        }
    }

    /** @return whether the REST facade is served ({@code tandem.transcoding.enabled}) */
    public boolean enabled() {
        return config.enabled();
    }

    void install(@Observes Router router) {
        if (!config.enabled()) {
            LOG.info("REST transcoding is disabled (tandem.transcoding.enabled=false)");
            return;
        }
        RouteTable table = routeTable();
        TranscodingOptions options = new TranscodingOptions(
                config.rejectUnknownQueryParameters(),
                config.rejectUnknownJsonFields(),
                config.rejectBodyWithoutRule(),
                config.requireJsonContentType(),
                config.maxBodySize().asLongValue());
        JsonCodec json = new JsonCodec(!options.rejectUnknownJsonFields());
        TranscodingHandler handler = new TranscodingHandler(
                table, new RequestBinder(json, options), json, registry, options,
                ForwardedHeaders.of(config.forwardedHeaders()),
                config.gzipResponses() ? config.gzipMinSize().asLongValue() : -1);
        router.route().order(ROUTE_ORDER).handler(handler);
        router.route().last().handler(handler::notFound);
        for (Route r : table.routes()) {
            LOG.debugf("REST route %s", r);
        }
        LOG.infof("REST transcoding serves %d routes of %d gRPC services",
                table.routes().size(), registry.services().size());
    }
}
