package dev.tandem.protocol.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * CORS in front of every protocol edge (REST, gRPC-Web, Connect): Vert.x's own {@link CorsHandler},
 * configured by {@link CorsConfig}. It answers preflights ({@code OPTIONS} with {@code
 * Access-Control-Request-Method}) itself with {@code Access-Control-Allow-Origin}, {@code -Methods},
 * {@code -Headers} and {@code -Max-Age}, and adds {@code Access-Control-Allow-Origin} and {@code
 * -Expose-Headers} to the answers of allowed origins; a request from an origin not allowed is refused
 * 403 by the handler. Without {@code tandem.cors.allowed-origins} nothing is installed: no origin is
 * allowed, preflights reach the edges (the REST facade answers 405).
 */
@ApplicationScoped
public class CorsRoute {

    /** Before every edge: gRPC (-200), gRPC-Web (-160), Connect (-140), REST (-100). */
    static final int ROUTE_ORDER = -300;

    private static final Logger LOG = Logger.getLogger(CorsRoute.class);

    @Inject
    CorsConfig config;

    void install(@Observes Router router) {
        List<String> origins = config.allowedOrigins().orElse(List.of());
        if (origins.isEmpty()) {
            return;
        }
        CorsHandler cors = CorsHandler.create()
                .allowedMethods(new HashSet<>(config.allowedMethods().stream().map(io.vertx.core.http.HttpMethod::valueOf).toList()))
                .allowedHeaders(new HashSet<>(config.allowedHeaders()))
                .exposedHeaders(new HashSet<>(config.exposedHeaders()))
                .maxAgeSeconds((int) config.maxAge().toSeconds());
        if (!origins.contains("*")) {
            cors.addOrigins(origins);
        }
        router.route().order(ROUTE_ORDER).handler(cors);
        LOG.infof("CORS: origins %s may call from a browser", origins);
    }
}
