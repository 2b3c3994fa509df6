package dev.tandem.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an RPC implementation method (the grpc-java {@code ImplBase} override) whose code is
 * CPU-only and short, so {@link ServiceDecorator} runs it on the event loop that delivers the call
 * instead of offloading it to a worker: no JDBC, no {@code @Transactional}, no lock waits, no sleeps.
 * Every method without it runs on a worker. {@code DispatchTest} lists the methods that carry it, so
 * adding one is a reviewed change.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RunsOnEventLoop {
}
