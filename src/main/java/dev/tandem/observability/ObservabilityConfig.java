package dev.tandem.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of Tandem's own observability, prefix {@code tandem.observability}; every property
 * may be set per profile ({@code %prod.tandem.observability.call-log.enabled=true}) or by
 * environment variable ({@code TANDEM_OBSERVABILITY_CALL_LOG_ENABLED=true}). Quarkus's own switches
 * (metrics endpoint, JSON logs, tracing, reflection) are {@code quarkus.*} properties, listed in
 * {@code application.properties} and docs/operations.md.
 */
@ConfigMapping(prefix = "tandem.observability")
public interface ObservabilityConfig {

    /** @return the per-RPC metrics of {@link RpcMetricsInterceptor} */
    RpcMetrics rpcMetrics();

    /** @return the per-RPC log line of {@link RpcMetricsInterceptor} */
    CallLog callLog();

    /** {@code tandem.observability.rpc-metrics.*} */
    interface RpcMetrics {

        /** @return record {@code tandem.rpc.server} timers at all */
        @WithDefault("true")
        boolean enabled();

        /**
         * @return upper bounds of the latency histogram buckets published with each timer (Prometheus
         *     {@code _bucket{le=...}} series, for {@code histogram_quantile}); empty publishes none
         */
        @WithDefault("5ms,10ms,25ms,50ms,100ms,250ms,500ms,1s,2.5s,5s,10s")
        List<Duration> buckets();
    }

    /** {@code tandem.observability.call-log.*} */
    interface CallLog {

        /**
         * @return log one INFO line per finished RPC (category {@code
         *     dev.tandem.observability.RpcMetricsInterceptor}): protocol, service/method, status
         *     code and duration, with the request id in the MDC
         */
        @WithDefault("false")
        boolean enabled();
    }
}
