package dev.tandem.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests, offline: every overlay (and the base) is rendered by kustomize v5 as
 * {@code kubectl apply -k} of kubectl 1.27 or later would ({@code kubectl kustomize DIR}, see {@link
 * #kubectl()} for which kubectl; {@code .ci/run} provides one when the machine has none that new),
 * with no warning on standard error (kustomize v5 warns there about every deprecated field, e.g.
 * {@code bases}, {@code patchesStrategicMerge}, {@code commonLabels}), and every object it emits is
 * read into the fabric8 Kubernetes API model, rejecting unknown fields
 * ({@link StrictKubernetesModel}). The CloudNativePG {@code Cluster}, a custom resource, is checked
 * as a tree against the fields Tandem uses. Then what must agree with the application does:
 * container port = {@code quarkus.http.port}, probe paths = SmallRye Health's paths, every
 * environment variable is a property the application reads, the grace period covers preStop,
 * shutdown delay and timeout, and the names between objects (Services, HPA, PDB, NetworkPolicy,
 * Secrets, ConfigMaps, the database host) resolve.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static AppConfiguration app;

    @BeforeAll
    static void readConfiguration() throws IOException {
        app = new AppConfiguration();
    }

    /** A rendered directory: its objects, typed, and its custom resources as trees. */
    private record Rendered(String dir, List<HasMetadata> objects, List<JsonNode> custom) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> hits = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
            assertEquals(1, hits.size(), () -> dir + ": one " + type.getSimpleName() + " " + name);
            return hits.get(0);
        }

        boolean has(Class<? extends HasMetadata> type, String name) {
            return all(type).stream().anyMatch(o -> o.getMetadata().getName().equals(name));
        }
    }

    /** Where {@code .ci/run} puts a kubectl with kustomize v5 when the machine has none. */
    static final Path CI_KUBECTL = Path.of(".data", "tools", "kubectl", "kubectl");

    /**
     * Fields of a {@code Kustomization} that kustomize v5 reports as deprecated ("# Warning: 'bases' is
     * deprecated. Please use 'resources' instead", and the same for each), with what replaces them:
     * {@code bases} -> {@code resources}, {@code patchesStrategicMerge} and {@code patchesJson6902} ->
     * {@code patches}, {@code commonLabels} -> {@code labels}, {@code vars} -> {@code replacements},
     * {@code imageTags} -> {@code images} (kustomize's {@code kustomize edit fix}).
     */
    static final Set<String> DEPRECATED_FIELDS = Set.of("bases", "patchesStrategicMerge", "patchesJson6902", "commonLabels",
            "vars", "imageTags");

    /**
     * @return the kubectl to render with: {@code $TANDEM_KUBECTL} when set, else {@link #CI_KUBECTL}
     *     when {@code .ci/run} installed one, else {@code kubectl} from the PATH
     */
    static String kubectl() {
        String k = System.getenv("TANDEM_KUBECTL");
        if (k != null && !k.isBlank()) {
            return k;
        }
        return Files.isExecutable(CI_KUBECTL) ? CI_KUBECTL.toString() : "kubectl";
    }

    /** Output and error of a finished command. */
    record Run(int exit, String out, String err) {
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread e = new Thread(() -> copy(p.getErrorStream(), err));
        e.start();
        copy(p.getInputStream(), out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> String.join(" ", command) + " finished");
        e.join();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Renders {@code dir} with {@code kubectl kustomize}: it must succeed and print nothing on standard
     * error (kustomize v5 prints its deprecation warnings there).
     *
     * @return the rendered YAML
     */
    static String kustomize(Path dir) throws IOException, InterruptedException {
        Run r = run(kubectl(), "kustomize", dir.toString());
        assertEquals(0, r.exit(), () -> kubectl() + " kustomize " + dir + " failed:\n" + r.err());
        assertEquals("", r.err().strip(), () -> kubectl() + " kustomize " + dir + " warned");
        return r.out();
    }

    @BeforeAll
    static void kustomizeIsVersion5() throws Exception {
        Run v = run(kubectl(), "version", "--client");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Kustomize Version: v(\\d+)\\.").matcher(v.out());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 5, () -> "ManifestsTest needs kubectl 1.27 or later (kustomize v5),"
                + " which renders the manifests as current clusters' kubectl does; " + kubectl() + " says:\n" + v.out() + v.err()
                + "\n.ci/run installs one into " + CI_KUBECTL + "; or set TANDEM_KUBECTL to one");
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(yaml))) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    static Rendered render(String dir) throws Exception {
        List<HasMetadata> objects = new ArrayList<>();
        List<JsonNode> custom = new ArrayList<>();
        for (JsonNode doc : documents(kustomize(K8S.resolve(dir)))) {
            if (doc.path("apiVersion").asText().equals("postgresql.cnpg.io/v1")) {
                custom.add(doc);
                continue;
            }
            try {
                objects.add(StrictKubernetesModel.read(doc));
            } catch (IOException e) {
                fail(dir + ": " + doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText()
                        + " does not fit the Kubernetes API: " + e.getMessage());
            }
        }
        return new Rendered(dir, objects, custom);
    }

    // ------------------------------------------------------------------ kustomize v5 syntax

    /** Every kustomization under {@code k8s/} uses only what kustomize v5 does not deprecate. */
    /**
     * The JVM image's memory is bounded part by part (heap, metaspace, code cache, direct buffers,
     * thread stacks; freed malloc memory handed back by {@code TrimNativeHeapInterval}) by {@code
     * JAVA_OPTS} in {@code Dockerfile.jvm}, and the overlay that deploys that image sets the very
     * same value, so that neither drifts (docs/operations.md, "Memory").
     */
    @Test
    void jvmImageAndItsOverlayBoundTheSameMemory() throws IOException {
        java.util.regex.Matcher image = java.util.regex.Pattern.compile("(?m)^ENV JAVA_OPTS=\"([^\"]+)\"$")
                .matcher(Files.readString(Path.of("src/main/docker/Dockerfile.jvm")));
        assertTrue(image.find(), "Dockerfile.jvm sets JAVA_OPTS");
        String opts = image.group(1);
        for (String bound : List.of("-Xmx", "-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=", "-XX:MaxDirectMemorySize=", "-Xss",
                "-XX:TrimNativeHeapInterval=")) {
            assertTrue(opts.contains(bound), () -> "JAVA_OPTS bounds " + bound + ": " + opts);
        }
        java.util.regex.Matcher dev = java.util.regex.Pattern.compile("(?m)^\\s+- JAVA_OPTS=(.+)$")
                .matcher(Files.readString(K8S.resolve("overlays/dev/kustomization.yaml")));
        assertTrue(dev.find(), "k8s/overlays/dev (the JVM image) sets JAVA_OPTS");
        assertEquals(opts, dev.group(1).trim());
    }

    @Test
    void kustomizationsUseNoDeprecatedField() throws Exception {
        List<Path> files;
        try (var walk = Files.walk(K8S)) {
            files = walk.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        assertEquals(List.of(K8S.resolve("base/kustomization.yaml"), K8S.resolve("overlays/dev/kustomization.yaml"),
                K8S.resolve("overlays/prod/kustomization.yaml")), files);
        for (Path f : files) {
            JsonNode k = documents(Files.readString(f)).get(0);
            assertEquals("kustomize.config.k8s.io/v1beta1", k.path("apiVersion").asText(), f.toString());
            assertEquals("Kustomization", k.path("kind").asText(), f.toString());
            k.fieldNames().forEachRemaining(name -> assertFalse(DEPRECATED_FIELDS.contains(name),
                    () -> f + ": '" + name + "' is deprecated in kustomize v5"));
        }
    }

    /** The check above and the warning check of {@link #kustomize} would see a deprecated field. */
    @Test
    void aDeprecatedFieldIsNoticed() throws Exception {
        Path dir = Files.createTempDirectory("kustomize-deprecated");
        try {
            Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n");
            Files.writeString(dir.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                    + "kind: Kustomization\nresources: [cm.yaml]\ncommonLabels: {app: x}\n");
            Run r = run(kubectl(), "kustomize", dir.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("'commonLabels' is deprecated"), () -> "kustomize warns: " + r.err());
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    // ------------------------------------------------------------------ the model rejects

    @Test
    void theStrictModelRejectsUnknownFieldsAtAnyDepth() throws Exception {
        String ok = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          image: i:1
                          readinessProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                """;
        assertNotNull(StrictKubernetesModel.read(documents(ok).get(0)));
        for (String typo : List.of("readinessProbe: {", "httpGet: {", "selector: {", "metadata: {name: x")) {
            String broken = ok.replace(typo, typo.replace(":", "e:"));
            JsonNode doc = documents(broken).get(0);
            assertThrows(UnrecognizedPropertyException.class, () -> StrictKubernetesModel.read(doc), () -> "typo " + typo);
        }
        assertThrows(IllegalArgumentException.class,
                () -> StrictKubernetesModel.read(documents("apiVersion: v1\nkind: Nonsense\nmetadata: {name: x}\n").get(0)));
    }

    // ------------------------------------------------------------------ every overlay

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void renderedObjectsFitTheApiAndTheApplication(String dir) throws Exception {
        Rendered r = render(dir);
        Deployment d = r.one(Deployment.class, "tandem");
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(matches(d.getSpec().getSelector(), podLabels), "Deployment selects its own pods");
        assertTrue(d.getSpec().getReplicas() >= 2, "two or more replicas");
        assertEquals(1, pod.getContainers().size());
        Container c = pod.getContainers().get(0);

        // image
        assertFalse(c.getImage().endsWith(":latest"), c.getImage());
        if (!dir.equals("base")) {
            assertTrue(c.getImage().contains(":"), () -> dir + ": the overlay pins the image tag: " + c.getImage());
        }

        // the one port
        ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElse(null);
        assertNotNull(http, "a container port named http");
        assertEquals(app.httpPort(), http.getContainerPort(), "container port = quarkus.http.port");
        assertEquals(1, c.getPorts().size(), "REST, gRPC, health and metrics share one port");

        // probes
        probe(c.getStartupProbe(), app.healthPath("started"), http, "startup");
        probe(c.getReadinessProbe(), app.healthPath("ready"), http, "readiness");
        probe(c.getLivenessProbe(), app.healthPath("live"), http, "liveness");
        assertEquals("8080", d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"));
        assertEquals("/q/metrics", d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/path"));

        // resources, security
        for (String res : List.of("cpu", "memory")) {
            assertNotNull(c.getResources().getRequests().get(res), "request " + res);
            assertNotNull(c.getResources().getLimits().get(res), "limit " + res);
        }
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), "runAsNonRoot");
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), "read-only root file system");
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElse(null);
        assertNotNull(tmp, "/tmp is writable");
        Volume tmpVolume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
        assertNotNull(tmpVolume.getEmptyDir(), "/tmp is an emptyDir");
        assertFalse(pod.getTopologySpreadConstraints().isEmpty(), "topology spread");
        pod.getTopologySpreadConstraints().forEach(t -> assertTrue(matches(t.getLabelSelector(), podLabels)));

        // environment: every name is configuration the application reads
        Map<String, String> env = environment(r, c);
        Set<String> known = app.knownEnvNames();
        for (String name : env.keySet()) {
            assertTrue(known.contains(name), () -> dir + ": environment variable " + name
                    + " is no property of application.properties, of Tandem's @ConfigMappings or of AppConfiguration.ALSO_KNOWN");
        }
        for (String required : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            assertTrue(env.containsKey(required), () -> dir + ": sets " + required);
        }
        if (!dir.equals("base")) {
            authentication(dir, env);
        }

        // shutdown: the grace period covers preStop + delay + timeout
        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        Duration delay = env.containsKey("QUARKUS_SHUTDOWN_DELAY") ? AppConfiguration.parseDuration(env.get("QUARKUS_SHUTDOWN_DELAY"))
                : app.duration("quarkus.shutdown.delay");
        Duration timeout = env.containsKey("QUARKUS_SHUTDOWN_TIMEOUT") ? AppConfiguration.parseDuration(env.get("QUARKUS_SHUTDOWN_TIMEOUT"))
                : app.duration("quarkus.shutdown.timeout");
        assertTrue(preStop >= 1, "a preStop pause");
        long needed = preStop + delay.toSeconds() + timeout.toSeconds();
        assertTrue(pod.getTerminationGracePeriodSeconds() > needed, () -> dir + ": terminationGracePeriodSeconds "
                + pod.getTerminationGracePeriodSeconds() + " > preStop + shutdown delay + timeout = " + needed);

        // Services
        for (String name : List.of("tandem", "tandem-headless")) {
            Service s = r.one(Service.class, name);
            assertTrue(podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet()), name + " selects the pods");
            ServicePort p = s.getSpec().getPorts().get(0);
            assertEquals(app.httpPort(), p.getPort());
            assertEquals("http", p.getTargetPort().getStrVal(), "targets the named container port");
            assertEquals("kubernetes.io/h2c", p.getAppProtocol(), name + ": HTTP/2 cleartext for gRPC");
        }
        assertEquals("None", r.one(Service.class, "tandem-headless").getSpec().getClusterIP(), "headless");

        // HPA, PDB
        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, "tandem");
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals("tandem", hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 2 && hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas());
        assertEquals(hpa.getSpec().getMinReplicas(), d.getSpec().getReplicas(), "Deployment starts at the HPA's minimum");
        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, "tandem");
        assertTrue(matches(pdb.getSpec().getSelector(), podLabels), "PDB covers the pods");

        if (!dir.equals("base")) {
            database(r, env, podLabels);
        }
    }

    /**
     * Authentication: on in prod (the application's default), where the overlay says where the token
     * verification key and the issuer come from (else the pods would not start: AuthStartupCheck);
     * off only where the overlay says so explicitly.
     */
    private void authentication(String dir, Map<String, String> env) {
        boolean on = !"false".equalsIgnoreCase(env.getOrDefault("TANDEM_AUTH_ENABLED", app.prod("tandem.auth.enabled")));
        if (dir.equals("overlays/prod")) {
            assertTrue(on, "authentication is on in prod");
        }
        if (on) {
            for (String name : List.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER")) {
                assertFalse(env.getOrDefault(name, "").isBlank(), () -> dir + ": authentication is on, so it sets " + name);
            }
            assertTrue(env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION").matches("https://.+|/.+"),
                    () -> dir + ": the key location is an https URL (JWKS) or a file mounted in the pod");
        }
    }

    /** The database the overlay brings: reachable by name, credentials resolvable, fenced by a NetworkPolicy. */
    private void database(Rendered r, Map<String, String> env, Map<String, String> appLabels) {
        String url = env.get("QUARKUS_DATASOURCE_JDBC_URL");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+):5432/(\\w+)").matcher(url);
        assertTrue(m.matches(), url);
        String host = m.group(1);
        String database = m.group(2);
        Map<String, String> dbLabels;
        Set<String> secrets = new HashSet<>();
        for (Secret s : r.all(Secret.class)) {
            secrets.add(s.getMetadata().getName());
        }
        if (r.custom().isEmpty()) { // dev: a StatefulSet
            Service svc = r.one(Service.class, host);
            StatefulSet db = r.one(StatefulSet.class, "tandem-db");
            dbLabels = db.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(dbLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()), "the DB Service selects the DB pod");
            assertFalse(db.getSpec().getVolumeClaimTemplates().isEmpty(), "the DB keeps its data on a volume");
            Container pg = db.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertTrue(pg.getImage().matches(".+:\\d+(\\.\\d+)*"), "PostgreSQL image pinned: " + pg.getImage());
            assertEquals(database, value(pg, "POSTGRES_DB"));
            assertTrue(pg.getVolumeMounts().stream().anyMatch(v -> v.getName().equals("data")));
        } else { // prod: a CloudNativePG Cluster
            assertEquals(1, r.custom().size());
            JsonNode cluster = r.custom().get(0);
            assertEquals("Cluster", cluster.path("kind").asText());
            onlyFields(cluster, Set.of("apiVersion", "kind", "metadata", "spec"));
            onlyFields(cluster.path("spec"), Set.of("instances", "imageName", "primaryUpdateStrategy", "bootstrap", "storage",
                    "resources", "affinity"));
            String name = cluster.path("metadata").path("name").asText();
            assertEquals(name + "-rw", host, "the app writes through CloudNativePG's read-write Service");
            assertTrue(cluster.path("spec").path("instances").asInt() >= 2, "a replica to fail over to");
            assertEquals(database, cluster.path("spec").path("bootstrap").path("initdb").path("database").asText());
            assertFalse(cluster.path("spec").path("storage").path("size").asText().isEmpty());
            secrets.add(name + "-app"); // generated by the operator, keys username and password
            dbLabels = Map.of("cnpg.io/cluster", name); // the label the operator puts on its pods
        }
        // credentials: every secretKeyRef of the app resolves
        Container c = r.one(Deployment.class, "tandem").getSpec().getTemplate().getSpec().getContainers().get(0);
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                String secret = e.getValueFrom().getSecretKeyRef().getName();
                assertTrue(secrets.contains(secret), () -> e.getName() + " reads Secret " + secret + ", which exists");
                assertTrue(Set.of("username", "password").contains(e.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
        // only the app reaches the database
        NetworkPolicy np = r.all(NetworkPolicy.class).stream()
                .filter(p -> matches(p.getSpec().getPodSelector(), dbLabels)).findFirst().orElse(null);
        assertNotNull(np, "a NetworkPolicy selects the database pods");
        assertTrue(np.getSpec().getPolicyTypes().contains("Ingress"));
        boolean appAllowed = false;
        for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
            assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), "no rule admits every source");
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                assertTrue(peer.getIpBlock() == null, "no IP ranges");
                if (peer.getPodSelector() != null && matches(peer.getPodSelector(), appLabels) && peer.getNamespaceSelector() == null
                        && rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 5432)) {
                    appAllowed = true;
                }
                assertTrue(peer.getPodSelector() == null || !peer.getPodSelector().getMatchLabels().isEmpty(),
                        "pod selectors are specific (an empty one admits every pod)");
            }
        }
        assertTrue(appAllowed, "the app's pods may reach 5432");
    }

    @Test
    void theSecretTemplateHasWhatTheBaseReads() throws Exception {
        JsonNode doc = documents(Files.readString(K8S.resolve("secret-db.template.yaml"))).get(0);
        Secret s = (Secret) StrictKubernetesModel.read(doc);
        Rendered base = render("base");
        Container c = base.one(Deployment.class, "tandem").getSpec().getTemplate().getSpec().getContainers().get(0);
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                assertEquals(s.getMetadata().getName(), e.getValueFrom().getSecretKeyRef().getName());
                assertTrue(s.getStringData().containsKey(e.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void probe(Probe p, String path, ContainerPort http, String what) {
        assertNotNull(p, what + " probe");
        HTTPGetAction get = p.getHttpGet();
        assertNotNull(get, what + " probe is an HTTP GET");
        assertEquals(path, get.getPath(), what + " probe path");
        String port = get.getPort().getStrVal() != null ? get.getPort().getStrVal() : String.valueOf(get.getPort().getIntVal());
        assertTrue(port.equals(http.getName()) || port.equals(String.valueOf(http.getContainerPort())), what + " probe port");
    }

    private static Map<String, String> environment(Rendered r, Container c) {
        Map<String, String> env = new HashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            assertNotNull(from.getConfigMapRef(), "envFrom only from ConfigMaps");
            ConfigMap cm = r.one(ConfigMap.class, from.getConfigMapRef().getName());
            env.putAll(cm.getData());
        }
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue());
        }
        return env;
    }

    private static String value(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(), "matchLabels only");
        return !selector.getMatchLabels().isEmpty() && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static void onlyFields(JsonNode node, Set<String> allowed) {
        node.fieldNames().forEachRemaining(f -> assertTrue(allowed.contains(f),
                () -> "field " + f + " is not one Tandem uses (" + allowed + ")"));
    }
}
