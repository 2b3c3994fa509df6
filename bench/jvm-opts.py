"""The JVM options Tandem's container would run with, read from the files that ship them.

Usage: python3 bench/jvm-opts.py [--peer] [--explain] [OVERLAY]

Reads (nothing is hard-coded here but the image's run-java.sh rules below):
  - src/main/docker/Dockerfile.jvm: its ENV lines (JAVA_OPTS, JAVA_OPTS_APPEND, JAVA_MAX_MEM_RATIO,
    JAVA_INITIAL_MEM_RATIO, JAVA_MAX_INITIAL_MEM, GC_*, JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS);
  - k8s/base/deployment.yaml and the overlay's patches (OVERLAY, default k8s/overlays/dev: the one
    that deploys the JVM image): the container `tandem`'s literal `env` values and
    resources.limits.memory / cpu;
  - the configMapGenerator literals of k8s/base and of the overlay (the container's envFrom).
Then applies what the image's /opt/jboss/container/java/run/run-java.sh does (ubi9/openjdk-17-runtime,
jboss-container-images/openjdk: run-java.sh and jvm/java-default-options): JAVA_OPTS, when set,
replaces the generated options; otherwise the options are
  [-XX:InitialRAMPercentage=JAVA_INITIAL_MEM_RATIO | -Xms JAVA_MAX_INITIAL_MEM]
  -XX:MaxRAMPercentage=JAVA_MAX_MEM_RATIO (default 50.0; none when "0")
  GC_CONTAINER_OPTIONS (default -XX:+UseParallelGC) -XX:MinHeapFreeRatio=GC_MIN_HEAP_FREE_RATIO (10)
  -XX:MaxHeapFreeRatio=GC_MAX_HEAP_FREE_RATIO (20) -XX:GCTimeRatio=GC_TIME_RATIO (4)
  -XX:AdaptiveSizePolicyWeight=GC_ADAPTIVE_SIZE_POLICY_WEIGHT (90)
  [-XX:MaxMetaspaceSize=GC_MAX_METASPACE_SIZE m] [-XX:MetaspaceSize=GC_METASPACE_SIZE m]
  -XX:+ExitOnOutOfMemoryError
followed by JAVA_OPTS_APPEND. JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS are read by the JVM itself, so
they are appended too. A container's memory limit is what the JVM sees as physical memory: outside a
container, -XX:MaxRAM=<limit> gives the same heap ergonomics, so it comes first. (The server is
pinned to one CPU by bench/lib.sh; a CPU limit other than 1 is reported on stderr.)

Printed on one line: the options, except -Dquarkus.http.host (the bench binds 127.0.0.1).
--peer prints only the -X options (memory, GC), for the peers, which then run in the same "pod".
--explain prints where each setting came from, on stderr.
"""
import os
import re
import shlex
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = re.compile(r"^(JAVA_OPTS|JAVA_OPTS_APPEND|JAVA_OPTIONS|JAVA_MAX_MEM_RATIO|JAVA_INITIAL_MEM_RATIO|"
                  r"JAVA_MAX_INITIAL_MEM|GC_[A-Z_]+|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS)$")


def dockerfile_env(path):
    """ENV KEY=VALUE ... lines of the last stage (the runtime image)."""
    env, text = {}, open(path).read().replace("\\\n", " ")
    stages = re.split(r"(?m)^FROM ", text)
    for line in stages[-1].splitlines():
        if line.startswith("ENV "):
            for word in shlex.split(line[4:]):
                if "=" in word:
                    k, v = word.split("=", 1)
                    env[k] = v
    return env


def memory_bytes(q):
    m = re.fullmatch(r"([0-9.]+)(Ki|Mi|Gi|Ti|K|M|G|T|k)?", str(q))
    if not m:
        raise SystemExit(f"jvm-opts.py: cannot read the memory quantity {q!r}")
    unit = {None: 1, "Ki": 1024, "Mi": 1024 ** 2, "Gi": 1024 ** 3, "Ti": 1024 ** 4,
            "k": 1000, "K": 1000, "M": 1000 ** 2, "G": 1000 ** 3, "T": 1000 ** 4}[m.group(2)]
    return int(float(m.group(1)) * unit)


def containers(doc):
    try:
        return doc["spec"]["template"]["spec"]["containers"]
    except (KeyError, TypeError):
        return []


def kustomization(path, env, source):
    if not os.path.exists(path):
        return []
    k = yaml.safe_load(open(path)) or {}
    for gen in k.get("configMapGenerator", []) or []:
        if gen.get("name") == "tandem-config":
            for lit in gen.get("literals", []) or []:
                key, value = lit.split("=", 1)
                if KEYS.match(key):
                    env[key] = value
                    source[key] = path
    return [os.path.join(os.path.dirname(path), p) for p in
            (k.get("patchesStrategicMerge", []) or []) + (k.get("patches", []) or []) if isinstance(p, str)]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    peer, explain = "--peer" in sys.argv, "--explain" in sys.argv
    overlay = os.path.join(ROOT, args[0] if args else "k8s/overlays/dev")
    env, source = {}, {}
    dockerfile = os.path.join(ROOT, "src/main/docker/Dockerfile.jvm")
    for k, v in dockerfile_env(dockerfile).items():
        if KEYS.match(k):
            env[k], source[k] = v, dockerfile
    limits = {}
    deployments = [os.path.join(ROOT, "k8s/base/deployment.yaml")]
    kustomization(os.path.join(ROOT, "k8s/base/kustomization.yaml"), env, source)
    deployments += kustomization(os.path.join(overlay, "kustomization.yaml"), env, source)
    for path in deployments:
        if not os.path.exists(path):
            continue
        for doc in yaml.safe_load_all(open(path)):
            if not doc or doc.get("kind") != "Deployment":
                continue
            for c in containers(doc):
                if c.get("name") != "tandem":
                    continue
                for e in c.get("env", []) or []:
                    if KEYS.match(e.get("name", "")) and "value" in e:
                        env[e["name"]], source[e["name"]] = str(e["value"]), path
                for k, v in ((c.get("resources") or {}).get("limits") or {}).items():
                    limits[k], source["limits." + k] = v, path
    opts = []
    if "memory" in limits:
        opts.append(f"-XX:MaxRAM={memory_bytes(limits['memory'])}")
    if "cpu" in limits and str(limits["cpu"]) not in ("1", "1000m"):
        print(f"jvm-opts.py: the manifests' CPU limit is {limits['cpu']}; the bench pins servers to one CPU",
              file=sys.stderr)
    java_opts = env.get("JAVA_OPTS", env.get("JAVA_OPTIONS"))
    if java_opts is not None:
        opts += shlex.split(java_opts)
    else:
        if env.get("JAVA_MAX_INITIAL_MEM"):
            opts.append("-Xms" + env["JAVA_MAX_INITIAL_MEM"])
        elif env.get("JAVA_INITIAL_MEM_RATIO"):
            opts.append("-XX:InitialRAMPercentage=%.0f.0" % float(env["JAVA_INITIAL_MEM_RATIO"]))
        ratio = env.get("JAVA_MAX_MEM_RATIO", "")
        if ratio != "0":
            opts.append("-XX:MaxRAMPercentage=" + ("50.0" if ratio == "" else "%.0f.0" % float(ratio)))
        opts += shlex.split(env.get("GC_CONTAINER_OPTIONS", "-XX:+UseParallelGC"))
        opts += ["-XX:MinHeapFreeRatio=" + env.get("GC_MIN_HEAP_FREE_RATIO", "10"),
                 "-XX:MaxHeapFreeRatio=" + env.get("GC_MAX_HEAP_FREE_RATIO", "20"),
                 "-XX:GCTimeRatio=" + env.get("GC_TIME_RATIO", "4"),
                 "-XX:AdaptiveSizePolicyWeight=" + env.get("GC_ADAPTIVE_SIZE_POLICY_WEIGHT", "90")]
        meta, max_meta = env.get("GC_METASPACE_SIZE"), env.get("GC_MAX_METASPACE_SIZE")
        if max_meta:
            opts.append(f"-XX:MaxMetaspaceSize={max_meta}m")
        if meta:
            opts.append(f"-XX:MetaspaceSize={min(int(meta), int(max_meta)) if max_meta else meta}m")
        opts.append("-XX:+ExitOnOutOfMemoryError")
        opts += shlex.split(env.get("JAVA_OPTS_APPEND", ""))
    opts += shlex.split(env.get("JDK_JAVA_OPTIONS", "")) + shlex.split(env.get("JAVA_TOOL_OPTIONS", ""))
    opts = [o for o in opts if not o.startswith("-Dquarkus.http.host=")]
    if peer:
        opts = [o for o in opts if o.startswith("-X")]
    if explain:
        for k in sorted(source):
            print(f"  {k}={env.get(k, limits.get(k[7:]) if k.startswith('limits.') else '')}  ({os.path.relpath(source[k], ROOT)})",
                  file=sys.stderr)
    print(" ".join(opts))


main()
