"""Tables from async-profiler's collapsed stacks (and a Quarkus log), for bench/profile.sh and bench/all.sh.

Usage:
  python3 bench/profile_summary.py load COLLAPSED TITLE
      The share of samples by thread group, by component (inclusive: a sample counts for every
      component on its stack, so rows add up to more than 100 %), by component self (the first
      frame from the top of the stack that belongs to a component, so a HashMap lookup inside
      Hibernate counts as Hibernate), and the 25 hottest frames (self). For cpu and wall profiles a
      sample is time; for alloc profiles it is bytes allocated (async-profiler's weight).
  python3 bench/profile_summary.py startup LOG T0_MS READY_MS COLLAPSED
      Where a start-up's time goes: the log's timeline (io.quarkus at DEBUG; consecutive lines of
      one component grouped, each group's span up to the next group's first line), then the CPU
      profile of the start (async-profiler, started with the JVM, stopped at ready) by thread group,
      by Quarkus step (the io.quarkus.deployment.steps.<Processor>$<step> frame nearest the root of
      the main and JPA start-up threads' stacks) and by component (inclusive).

Collapsed stacks: one line per distinct stack, root first, frames separated by ';', then a space and
the sample count (or weight); with async-profiler's `threads` option the first frame is the thread.
A profile share is where time went, not what a feature costs: bench/feature-cost.sh measures that.
"""
import collections
import datetime
import re
import sys
import time

# (component, frame prefixes); for "self", the first matching frame from the top of the stack wins
COMPONENTS = [
    ("protobuf JsonFormat", ("com.google.protobuf.util.JsonFormat",)),
    ("protobuf", ("com.google.protobuf.",)),
    ("protovalidate / CEL", ("build.buf.", "dev.cel.", "com.google.re2j.")),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("pgjdbc", ("org.postgresql.",)),
    ("Flyway", ("org.flywaydb.", "io.quarkus.flyway.")),
    ("Hibernate ORM", ("org.hibernate.", "io.quarkus.hibernate.")),
    ("Agroal pool", ("io.agroal.", "io.quarkus.agroal.")),
    ("Narayana JTA", ("com.arjuna.", "io.quarkus.narayana.", "jakarta.transaction.")),
    ("Tandem protocol edges, transcoding", ("dev.tandem.transcoding.", "dev.tandem.protocol.")),
    ("Tandem auth", ("dev.tandem.security.",)),
    ("Tandem observability", ("dev.tandem.observability.",)),
    ("Tandem other", ("dev.tandem.",)),
    ("SmallRye JWT / jose4j", ("io.smallrye.jwt.", "org.jose4j.")),
    ("OpenTelemetry", ("io.opentelemetry.", "io.quarkus.opentelemetry.")),
    ("Micrometer", ("io.micrometer.", "io.quarkus.micrometer.")),
    ("OpenAPI", ("io.smallrye.openapi.", "io.quarkus.smallrye.openapi.")),
    ("gRPC (grpc-java, Quarkus gRPC, Vert.x gRPC)", ("io.grpc.", "io.quarkus.grpc.", "io.vertx.grpc.")),
    ("Armeria", ("com.linecorp.armeria.",)),
    ("Quarkus REST", ("org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive.", "io.quarkus.rest.")),
    ("Vert.x", ("io.vertx.", "io.quarkus.vertx.")),
    ("Netty", ("io.netty.", "io.grpc.netty.shaded.io.netty.")),
    ("Mutiny / SmallRye context", ("io.smallrye.mutiny.", "io.smallrye.context.")),
    ("ArC (CDI)", ("io.quarkus.arc.",)),
    ("logging", ("org.jboss.logmanager.", "org.jboss.logging.", "io.quarkus.bootstrap.logging.")),
    ("Quarkus other", ("io.quarkus.", "io.smallrye.")),
    ("class loading", ("java.lang.ClassLoader.", "jdk.internal.loader.", "java.lang.ClassLoader",
                       "SystemDictionary::", "ClassFileParser::", "ClassLoader::")),
    ("JIT compiler", ("CompileBroker::", "C2Compiler::", "Compile::", "Compilation::")),
    ("GC", ("GCTaskThread", "VM_GC", "PSScavenge", "PSParallelCompact", "G1", "SerialHeap", "DefNewGeneration")),
    ("kernel", ()),  # frames ending in _[k]
]


def frames_of(line):
    stack, _, count = line.rstrip("\n").rpartition(" ")
    return [f.replace("/", ".") for f in stack.split(";")], int(count)


def read(path):
    out = []
    for line in open(path, errors="replace"):
        if line.strip():
            try:
                out.append(frames_of(line))
            except ValueError:
                pass
    return out


def thread_group(frame):
    name = re.sub(r"\s*tid=\d+$", "", frame.strip("[]")).strip()
    for group, pattern in [("JIT compiler threads", r"C[12] CompilerThre|Compiler"), ("GC threads", r"GC|VM Thread|G1|Parallel"),
                           ("main", r"^main$"), ("Hibernate start-up (JPA Startup Thread)", r"JPA Startup"),
                           ("event loops (Vert.x, Netty, Armeria)", r"eventloop|event-loop|nioEventLoop|epoll|ELG|boss|armeria-common-worker|grpc-nio|grpc-default-worker"),
                           ("worker / blocking pools", r"executor-thread|worker|jdbc-|blocking|pool|ForkJoin|vert.x-internal"),
                           ("profiler, signal and other JVM threads", r".*")]:
        if re.search(pattern, name):
            return group
    return name


def component(frame):
    if frame.endswith("_[k]"):
        return "kernel"
    for name, prefixes in COMPONENTS:
        if any(frame.startswith(p) for p in prefixes):
            return name
    return None


def pct(n, total):
    return f"{100.0 * n / total:.1f} %" if total else "-"


def table(title, header, rows):
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")


def load(path, title):
    stacks = read(path)
    total = sum(c for _, c in stacks)
    threads, incl, self_, hot = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    for frames, c in stacks:
        has_thread = frames and frames[0].startswith("[")
        threads[thread_group(frames[0]) if has_thread else "(all)"] += c
        body = frames[1:] if has_thread else frames
        for comp in {component(f) for f in body} - {None}:
            incl[comp] += c
        top = next((component(f) for f in reversed(body) if component(f)), "JVM / JDK / native")
        self_[top] += c
        if body:
            hot[body[-1]] += c
    print(f"## {title}\n\n{total} samples ({path})")
    table("By thread group:", ["threads", "samples", "share"], [(k, v, pct(v, total)) for k, v in threads.most_common()])
    table("By component, inclusive (on the stack):", ["component", "samples", "share"],
          [(k, v, pct(v, total)) for k, v in incl.most_common()])
    table("By component, self (nearest the top of the stack):", ["component", "samples", "share"],
          [(k, v, pct(v, total)) for k, v in self_.most_common()])
    table("Hottest frames (self):", ["frame", "samples", "share"], [(f"`{k}`", v, pct(v, total)) for k, v in hot.most_common(25)])


CATEGORY_COMPONENTS = [
    ("Flyway", ("io.quarkus.flyway", "org.flywaydb")), ("Hibernate ORM", ("io.quarkus.hibernate", "org.hibernate")),
    ("datasource (Agroal)", ("io.quarkus.agroal", "io.agroal")), ("gRPC", ("io.quarkus.grpc", "io.grpc", "io.vertx.grpc")),
    ("Micrometer", ("io.quarkus.micrometer", "io.micrometer")), ("ArC (CDI)", ("io.quarkus.arc",)),
    ("OpenAPI", ("io.quarkus.smallrye.openapi", "io.smallrye.openapi")), ("Vert.x / HTTP", ("io.quarkus.vertx", "io.vertx")),
    ("Tandem protocol edges, transcoding", ("dev.tandem.protocol", "dev.tandem.transcoding")), ("Tandem auth", ("dev.tandem.security",)),
    ("Tandem", ("dev.tandem",)), ("Quarkus", ("io.quarkus",)),
]
STEP_PREFIXES = ("io.quarkus.runner.recorded.", "io.quarkus.deployment.steps.")
LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) +(\w+) +\[([^\]]*)\] \(([^)]*)\) (.*)$")


def log_component(category):
    for name, prefixes in CATEGORY_COMPONENTS:
        if category.startswith(prefixes):
            return name
    return ".".join(category.split(".")[:2])


def startup(log, t0, ready, collapsed):
    t0, ready = int(t0), int(ready)
    lines = []
    for line in open(log, errors="replace"):
        m = LINE.match(line)
        if m:
            ms = int(time.mktime(datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").timetuple()) * 1000) + int(m.group(2))
            if ms <= ready:
                lines.append((ms - t0, log_component(m.group(4)), m.group(6)[:110].replace("|", "/")))
    print(f"## Start-up: where the time goes\n\nexec to /q/health/ready: {ready - t0} ms (this start: io.quarkus at "
          f"DEBUG, plain-text log, async-profiler running; the measured starts have neither)")
    groups = []
    for at, comp, msg in lines:
        if not groups or groups[-1][1] != comp:
            groups.append([at, comp, msg, 0])
        groups[-1][3] += 1
    rows = [(0, lines[0][0] if lines else ready - t0, "JVM start, Quarkus bootstrap and static init (before the first log line)", "")]
    for i, (at, comp, msg, n) in enumerate(groups):
        end = groups[i + 1][0] if i + 1 < len(groups) else ready - t0
        rows.append((at, end - at, comp, f"{n} line(s) from: {msg}"))
    table("Timeline (wall clock from exec; each group lasts until the next group's first line):",
          ["at ms", "ms", "component (logger)", "log"], rows)
    spans = collections.Counter()
    for r in rows:
        spans[r[2]] += r[1]
    table("Wall clock by component (sum of its groups' spans; an approximation: a span ends at the next log line):",
          ["component", "ms", "share"], [(k, v, pct(v, ready - t0)) for k, v in spans.most_common()])
    stacks = read(collapsed)
    total = sum(c for _, c in stacks)
    threads, steps, incl = collections.Counter(), collections.Counter(), collections.Counter()
    for frames, c in stacks:
        group = thread_group(frames[0]) if frames and frames[0].startswith("[") else "(all)"
        threads[group] += c
        body = frames[1:] if frames and frames[0].startswith("[") else frames
        if group == "main":
            step = next((f for f in body if f.startswith(STEP_PREFIXES)), None)
            if step:
                step = re.sub(r"^.*\.(\w+)\$(\w+?)\d*\.deploy(_\d+)?$", r"\1.\2", step)
                phase = "static init" if any(f.endswith("ApplicationImpl.<clinit>") for f in body) else "runtime init"
                step = f"{phase}: {step}"
                if step.endswith("startupEvent"):  # @Observes StartupEvent: name the observer's class
                    observer = next((f for f in body if f.startswith("dev.tandem.")), None)
                    step += f" ({re.sub(r'_(Observer|Subclass|ClientProxy)_.*$', '', observer.rsplit('.', 1)[0]) if observer else 'Quarkus and extension observers'})"
            steps[step or "main: outside any Quarkus step (JVM and Quarkus bootstrap, class loading, main)"] += c
        elif group == "Hibernate start-up (JPA Startup Thread)":
            steps["Hibernate ORM's own start-up thread (in parallel with main)"] += c
        for comp in {component(f) for f in body} - {None}:
            incl[comp] += c
    print(f"\nCPU profile of the start: {total} samples of 1 ms of CPU ({collapsed}); on one CPU, CPU time is at "
          f"most the wall time, the rest is waiting (database, I/O)")
    table("CPU by thread group:", ["threads", "ms", "share"], [(k, v, pct(v, total)) for k, v in threads.most_common()])
    table("CPU of the main thread by Quarkus step (the recorded method a build step generated: Processor.step), "
          "and of Hibernate's start-up thread:",
          ["step", "ms", "share of all CPU"], [(k, v, pct(v, total)) for k, v in steps.most_common(30)])
    table("CPU by component, inclusive (all threads):", ["component", "ms", "share"], [(k, v, pct(v, total)) for k, v in incl.most_common()])


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "startup":
        startup(*sys.argv[2:6])
    else:
        sys.exit(__doc__)
