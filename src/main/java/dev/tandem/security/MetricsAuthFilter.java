package dev.tandem.security;

import dev.tandem.error.HttpStatusMapping;
import dev.tandem.error.StatusJson;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Protects the Prometheus endpoint when {@code tandem.auth.metrics-role} is set (and {@code
 * tandem.auth.enabled}): a scrape must send {@code Authorization: Bearer <JWT>} (RFC 6750; Prometheus:
 * {@code authorization: {credentials_file: ...}} in the scrape config) with a token that {@link
 * TokenVerifier} accepts and whose {@code groups} hold that role. Otherwise 401 (no or an invalid
 * token) or 403 (no role), with a {@code google.rpc.Status} JSON body and a {@code WWW-Authenticate}
 * challenge, as the REST facade answers. Unset (the default), the metrics are open. The path is
 * Quarkus's: {@code quarkus.http.non-application-root-path} ({@code q}) and {@code
 * quarkus.micrometer.export.prometheus.path} ({@code metrics}).
 */
@ApplicationScoped
public class MetricsAuthFilter {

    /** Before Quarkus's metrics handler (and the REST facade, which passes such paths on). */
    static final int ROUTE_ORDER = -200;

    private static final Logger LOG = Logger.getLogger(MetricsAuthFilter.class);

    @Inject
    AuthConfig config;

    @Inject
    TokenVerifier verifier;

    @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q")
    String nonApplicationRoot;

    @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "metrics")
    String metricsPath;

    /**
     * @param root e.g. {@code q} or {@code /q}
     * @param path e.g. {@code metrics}, or absolute {@code /metrics}
     * @return the absolute path, e.g. {@code /q/metrics}
     */
    static String path(String root, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        String r = root.replaceAll("^/+|/+$", "");
        return (r.isEmpty() ? "" : "/" + r) + "/" + path.replaceAll("/+$", "");
    }

    void install(@Observes Router router) {
        if (!config.enabled() || config.metricsRole().isEmpty()) {
            return;
        }
        String path = path(nonApplicationRoot, metricsPath);
        router.route(path).order(ROUTE_ORDER).handler(this::check);
        LOG.infof("%s needs a bearer token with role %s", path, config.metricsRole().get());
    }

    private void check(RoutingContext ctx) {
        try {
            JsonWebToken token = verifier.verify(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
            String role = config.metricsRole().orElseThrow();
            if (!TokenVerifier.groups(token).contains(role)) {
                throw AuthException.missingRole(role, ctx.request().path());
            }
            ctx.next();
        } catch (AuthException e) {
            StatusRuntimeException error = e.status().asRuntimeException(e.trailers());
            ctx.response()
                    .setStatusCode(HttpStatusMapping.httpStatus(e.status().getCode()))
                    .putHeader("WWW-Authenticate", e.challenge())
                    .putHeader(HttpHeaders.CONTENT_TYPE, StatusJson.MEDIA_TYPE)
                    .end(StatusJson.print(StatusProto.fromThrowable(error)));
        }
    }
}
