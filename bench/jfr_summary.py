"""Summarises jdk.ExecutionSample events (``jfr print --json``) for bench/profile.sh.

Usage: python3 bench/jfr_summary.py RECORDING.json TITLE

Prints, for the samples of the recording:
  - the share by component (self time): each sample is charged to the first
    frame, from the top of the stack, that is not the JDK's own (java., jdk.,
    sun.), by the component its class belongs to (COMPONENTS, first match);
    so a HashMap lookup inside Hibernate counts as Hibernate, and a JsonFormat
    frame called by the transcoder as JsonFormat; samples with only JDK frames
    are "JDK";
  - the share by layer, inclusive: the share of samples with at least one frame
    of the layer anywhere on the stack (so rows add up to more than 100 %);
  - the 25 hottest methods by self time (the top frame).
"""
import collections
import json
import sys

# (component, class-name prefixes); the first matching frame from the top wins
COMPONENTS = [
    ("protobuf JsonFormat (JSON codec)", ("com.google.protobuf.util.JsonFormat",)),
    ("protobuf (binary codec, messages)", ("com.google.protobuf.",)),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("pgjdbc (PostgreSQL driver)", ("org.postgresql.",)),
    ("Hibernate ORM", ("org.hibernate.",)),
    ("Agroal pool / Narayana JTA", ("io.agroal.", "com.arjuna.", "io.quarkus.narayana", "jakarta.transaction")),
    ("Tandem transcoding", ("dev.tandem.transcoding.",)),
    ("Tandem services and interceptors", ("dev.tandem.",)),
    ("gRPC (grpc-java, Quarkus gRPC)", ("io.grpc.", "io.quarkus.grpc.")),
    ("Micrometer / OpenTelemetry", ("io.micrometer.", "io.opentelemetry.", "io.quarkus.micrometer", "io.quarkus.opentelemetry")),
    ("Vert.x / Netty (HTTP, event loop)", ("io.vertx.", "io.netty.", "io.quarkus.vertx.")),
    ("Quarkus / ArC / SmallRye", ("io.quarkus.", "io.smallrye.")),
]
JDK = ("java.", "jdk.", "sun.")
LAYERS = [
    ("REST facade (dev.tandem.protocol.rest)", "dev.tandem.protocol.rest."),
    ("transcoding core (dev.tandem.transcoding, not .server)", "dev.tandem.transcoding."),
    ("JsonFormat", "com.google.protobuf.util.JsonFormat"),
    ("Hibernate ORM", "org.hibernate."),
    ("pgjdbc", "org.postgresql."),
    ("gRPC in-process transport", "io.grpc.inprocess."),
    ("Tandem interceptors (observability, shutdown, concurrency)", "dev.tandem.observability."),
    ("Micrometer", "io.micrometer."),
]


def frames(event):
    for f in event["values"]["stackTrace"]["frames"]:
        m = f["method"]
        yield m["type"]["name"].replace("/", "."), m["name"]


def main(path, title):
    events = json.load(open(path))["recording"]["events"]
    by_component = collections.Counter()
    by_layer = collections.Counter()
    hot = collections.Counter()
    for e in events:
        stack = list(frames(e))
        if not stack:
            continue
        cls, meth = stack[0]
        hot[f"{cls}.{meth}"] += 1
        charged = "JDK"
        for c, _ in stack:
            if c.startswith(JDK):
                continue
            charged = next((name for name, prefixes in COMPONENTS if c.startswith(prefixes)), "other")
            break
        by_component[charged] += 1
        names = {c for c, _ in stack}
        for label, prefix in LAYERS:
            if any(n.startswith(prefix) for n in names):
                if label.startswith("transcoding core") and all(
                    n.startswith("dev.tandem.protocol.rest.") for n in names if n.startswith(prefix)
                ):
                    continue
                by_layer[label] += 1
    n = sum(by_component.values()) or 1
    print(f"## {title}: {n} samples")
    print("\nby component (self time: top-most frame outside the JDK):")
    for name, k in by_component.most_common():
        print(f"  {100 * k / n:5.1f}%  {name}")
    print("\nby layer (anywhere on the stack):")
    for label, _ in LAYERS:
        print(f"  {100 * by_layer[label] / n:5.1f}%  {label}")
    print("\nhottest methods (self):")
    for name, k in hot.most_common(25):
        print(f"  {100 * k / n:5.1f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
