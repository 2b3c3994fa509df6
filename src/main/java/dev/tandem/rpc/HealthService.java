package dev.tandem.rpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The standard gRPC health service {@code grpc.health.v1.Health} (grpc/grpc doc/health-checking.md),
 * what Kubernetes gRPC probes and client-side health checking call, on every protocol edge.
 *
 * <ul>
 *   <li>{@code Check}: the status of a service by its full name, {@code ""} for the server as a
 *       whole; an unknown name is {@code NOT_FOUND}.</li>
 *   <li>{@code Watch}: the current status at once (an unknown name: {@code SERVICE_UNKNOWN}), then
 *       every change, for as long as the client stays. A client that reads slowly gets the latest
 *       status when it is ready again, never a queue of stale ones and never an error.</li>
 * </ul>
 *
 * Statuses are set by {@link RpcRegistry} (every registered service {@code SERVING} at start-up) and
 * by {@code dev.tandem.shutdown.Drain} ({@link #enterTerminalState()} at shutdown). Thread-safe.
 */
final class HealthService implements HealthGrpc.AsyncService {

    /** {@code SERVICE_UNKNOWN}, which the health.proto that Quarkus ships predates. */
    static final int SERVICE_UNKNOWN = 3;

    private final Map<String, ServingStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    private volatile boolean terminal;

    /**
     * @param service full service name, or {@code ""} for the server
     * @param status its status; ignored once {@link #enterTerminalState()} was called
     */
    void setStatus(String service, ServingStatus status) {
        if (terminal) {
            return;
        }
        statuses.put(service, status);
        notifyWatchers(service, status);
    }

    /** Every known service {@code NOT_SERVING}, for good: the server is shutting down. */
    void enterTerminalState() {
        terminal = true;
        for (String service : statuses.keySet()) {
            statuses.put(service, ServingStatus.NOT_SERVING);
            notifyWatchers(service, ServingStatus.NOT_SERVING);
        }
    }

    private void notifyWatchers(String service, ServingStatus status) {
        Set<Watcher> set = watchers.get(service);
        if (set != null) {
            set.forEach(w -> w.offer(status.getNumber()));
        }
    }

    @Override
    @RunsOnEventLoop
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
        ServingStatus status = statuses.get(request.getService());
        if (status == null) {
            response.onError(Status.NOT_FOUND.withDescription("unknown service " + request.getService()).asRuntimeException());
            return;
        }
        response.onNext(HealthCheckResponse.newBuilder().setStatus(status).build());
        response.onCompleted();
    }

    @Override
    @RunsOnEventLoop
    public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
        String service = request.getService();
        Watcher w = new Watcher((ServerCallStreamObserver<HealthCheckResponse>) response);
        Set<Watcher> set = watchers.computeIfAbsent(service, s -> new CopyOnWriteArraySet<>());
        set.add(w);
        w.call.setOnCancelHandler(() -> set.remove(w));
        w.call.setOnReadyHandler(w::flush);
        ServingStatus known = statuses.get(service);
        w.offer(known == null ? SERVICE_UNKNOWN : known.getNumber());
    }

    /** One Watch call: holds the latest status not yet sent. */
    private static final class Watcher {

        private final ServerCallStreamObserver<HealthCheckResponse> call;
        private int pending = -1;
        private int sent = -1;

        Watcher(ServerCallStreamObserver<HealthCheckResponse> call) {
            this.call = call;
        }

        synchronized void offer(int status) {
            pending = status;
            flush();
        }

        synchronized void flush() {
            if (pending < 0 || call.isCancelled() || !call.isReady()) {
                return;
            }
            int s = pending;
            pending = -1;
            if (s != sent) {
                sent = s;
                call.onNext(HealthCheckResponse.newBuilder().setStatusValue(s).build());
            }
        }
    }
}
