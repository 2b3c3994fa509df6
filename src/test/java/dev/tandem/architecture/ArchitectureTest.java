package dev.tandem.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of {@code docs/architecture.md}, checked on the compiled main classes (ArchUnit),
 * and the dependency diagram of that page, compared edge for edge with the real dependencies, so the
 * page cannot drift from the code.
 *
 * <p>A module is a direct subpackage of {@code dev.tandem} ({@code user}, {@code rpc}, ...), except
 * that each subpackage of {@code protocol} is a module of its own ({@code protocol_grpc}, {@code
 * protocol_rest}, ...: Mermaid ids have no dots); {@code api} is the generated code of the protos.
 */
class ArchitectureTest {

    private static final Set<String> SERVICES = Set.of("greeter", "user", "order");
    private static final Set<String> CROSS_CUTTING = Set.of("observability", "security", "limits", "validation",
            "shutdown", "aip", "rpc", "error");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tandem");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.tandem.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("dev.tandem.protocol.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void protocolEdgesAreUsedByNothingElse() {
        noClasses().that().resideOutsideOfPackage("dev.tandem.protocol..")
                .should().dependOnClassesThat().resideInAPackage("dev.tandem.protocol..")
                .check(classes);
    }

    @Test
    void persistenceIsUsedOnlyByTheServices() {
        noClasses().that().resideOutsideOfPackages("dev.tandem.persistence..", "dev.tandem.user..",
                        "dev.tandem.order..", "dev.tandem.greeter..")
                .should().dependOnClassesThat().resideInAPackage("dev.tandem.persistence..")
                .check(classes);
    }

    @Test
    void servicesAreReachedOnlyThroughTheRegistry() {
        noClasses().that().resideOutsideOfPackages("dev.tandem.user..", "dev.tandem.order..", "dev.tandem.greeter..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tandem.user..", "dev.tandem.order..",
                        "dev.tandem.greeter..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.tandem.order..")
                .should().dependOnClassesThat().resideInAPackage("dev.tandem.user..")
                .check(classes);
    }

    @Test
    void crossCuttingCodeKnowsNoDomainType() {
        noClasses().that().resideInAnyPackage(packages(CROSS_CUTTING))
                .should().dependOnClassesThat().resideInAnyPackage("dev.tandem.api..", "dev.tandem.persistence..",
                        "dev.tandem.user..", "dev.tandem.order..", "dev.tandem.greeter..", "dev.tandem.protocol..",
                        "dev.tandem.transcoding..")
                .check(classes);
    }

    @Test
    void theTranscodingEngineIsFreeOfTheHttpServer() {
        noClasses().that().resideInAPackage("dev.tandem.transcoding..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "dev.tandem.rpc..",
                        "dev.tandem.api..")
                .check(classes);
    }

    @Test
    void theRpcCoreDependsOnNoInterceptor() {
        noClasses().that().resideInAPackage("dev.tandem.rpc..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tandem.observability..", "dev.tandem.security..",
                        "dev.tandem.limits..", "dev.tandem.validation..", "dev.tandem.shutdown..", "dev.tandem.aip..")
                .check(classes);
    }

    /** The diagram of docs/architecture.md has exactly the module dependencies of the code. */
    @Test
    void theDocumentedDiagramIsTheRealOne() throws IOException {
        Set<String> real = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = module(c.getPackageName());
            if (from == null) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = module(d.getTargetClass().getPackageName());
                if (to != null && !to.equals(from)) {
                    real.add(from + " --> " + to);
                }
            }
        }
        String page = Files.readString(Path.of("docs/architecture.md"));
        Matcher block = Pattern.compile("```mermaid\\n(.*?)```", Pattern.DOTALL).matcher(page);
        if (!block.find()) {
            throw new AssertionError("docs/architecture.md has no mermaid diagram");
        }
        Set<String> documented = new TreeSet<>();
        Matcher edge = Pattern.compile("^\\s*([\\w.]+)\\s*-->\\s*([\\w.]+)\\s*$", Pattern.MULTILINE).matcher(block.group(1));
        while (edge.find()) {
            documented.add(edge.group(1) + " --> " + edge.group(2));
        }
        Set<String> missing = new TreeSet<>(real);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(real);
        assertEquals(real, documented, "the diagram of docs/architecture.md must list exactly the module dependencies"
                + " of the code; add " + missing + ", remove " + extra);
    }

    /** @return the module of a package under dev.tandem, or null outside it */
    static String module(String pkg) {
        if (!pkg.startsWith("dev.tandem.")) {
            return null;
        }
        String[] parts = pkg.substring("dev.tandem.".length()).split("\\.");
        if (parts[0].equals("protocol") && parts.length > 1) {
            return "protocol_" + parts[1];
        }
        return parts[0];
    }

    private static String[] packages(Set<String> modules) {
        return modules.stream().map(m -> "dev.tandem." + m + "..").toArray(String[]::new);
    }
}
