package dev.tandem.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.util.Map;

/**
 * Reads Kubernetes objects into the fabric8 kubernetes-model classes (the Kubernetes API's own
 * types, generated from its OpenAPI schema), <em>rejecting</em> every field the API does not have.
 *
 * <p>fabric8's classes keep unknown fields in an {@code additionalProperties} map ({@code
 * @JsonAnySetter}), which would accept a misspelt {@code readinessProbee} silently. This mapper's
 * annotation introspector ignores any-setters, and {@link
 * DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES} turns every unknown field, at any depth, into
 * an error naming its path.
 */
final class StrictKubernetesModel {

    /** The kinds Tandem's manifests use: {@code apiVersion/kind} to model class. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                }

                @Override
                @SuppressWarnings("deprecation")
                public boolean hasAnySetterAnnotation(AnnotatedMethod am) {
                    return false;
                }
            });

    private StrictKubernetesModel() {
    }

    /**
     * @param document one manifest, as parsed YAML
     * @return the typed object
     * @throws IOException naming the unknown or mistyped field
     * @throws IllegalArgumentException for a kind not in {@link #KINDS}
     */
    static HasMetadata read(JsonNode document) throws IOException {
        String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException("no model for " + key);
        }
        return MAPPER.treeToValue(document, type);
    }
}
