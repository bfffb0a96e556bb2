package dev.steadfast.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The boundaries between Steadfast's modules, one rule set that every module checks: a module's test class
 * {@code class BoundariesTest extends ModuleBoundaries {}} runs these rules over that module's own classes (its
 * {@code target/classes} and {@code target/test-classes}), so {@code mvn verify} fails when a module crosses one.
 *
 * <p>A module is a root package {@code dev.steadfast.NAME} (the starter's is {@code dev.steadfast.spring}); its
 * packages named {@code internal} are its own. What modules share lives in API packages (documented, covered by the
 * compatibility promises); the few exceptions are {@link #QUALIFIED_EXPORTS}, named here with their reason, as a
 * JPMS {@code exports ... to} would name them. CONTRIBUTING.md says what to do when a rule fails.
 */
public abstract class ModuleBoundaries {
    /**
     * Internal packages opened to one other module (the importer's root package, then the internal packages it may
     * use, with their subpackages). Each needs a reason; keep the list short.
     */
    public static final Map<String, Set<String>> QUALIFIED_EXPORTS = Map.of(
            // the backlog benchmark times the store's claim and purge statements themselves, below the queue's API
            "dev.steadfast.bench", Set.of("dev.steadfast.queue.internal.store"),
            // the command's Jetty adapter serves the web module's router (WebApp, Router, Request, BodyBudget): the
            // servlet is the web module's only public door, and Jetty stays out of the web module
            "dev.steadfast.cli", Set.of("dev.steadfast.web.internal"));

    /**
     * Which module may depend on which, by rank: a module's production classes use no module of a higher rank (the
     * Maven modules say the same; this keeps it so when a dependency is added to a pom). Unranked roots (testkit,
     * bench, examples) are on top.
     */
    public static final Map<String, Integer> LAYERS = Map.of(
            "dev.steadfast.jdbc", 1,
            "dev.steadfast.embedded", 1,
            "dev.steadfast.queue", 2,
            "dev.steadfast.web", 3,
            "dev.steadfast.cli", 4,
            "dev.steadfast.spring", 5);

    /** No class reaches into another module's {@code internal} packages (unless qualified above). */
    public static final ArchRule NO_OTHER_MODULES_INTERNALS = classes()
            .should(new ArchCondition<JavaClass>("use no other module's internal packages (see ModuleBoundaries)") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                        String target = dependency
                                .getTargetClass()
                                .getBaseComponentType()
                                .getPackageName();
                        String owner = internalOwner(target);
                        if (owner != null
                                && !within(origin.getPackageName(), owner)
                                && !qualified(rootOf(origin.getPackageName()), target)) {
                            events.add(SimpleConditionEvent.violated(
                                    dependency,
                                    dependency.getDescription() + ": " + target + " is internal to " + owner));
                        }
                    }
                }
            });

    /** An API package hands out no internal type: not in a public signature, nor as a public class's supertype. */
    public static final ArchRule API_EXPOSES_NO_INTERNAL_TYPE = classes()
            .that()
            .arePublic()
            .and()
            .resideOutsideOfPackage("..internal..")
            .should(new ArchCondition<JavaClass>("expose no internal type in a public or protected signature") {
                @Override
                public void check(JavaClass api, ConditionEvents events) {
                    List<String> exposed = new ArrayList<>();
                    api.getRawSuperclass()
                            .filter(s -> isInternal(s.getPackageName()))
                            .ifPresent(s -> exposed.add("extends " + s.getName()));
                    api.getRawInterfaces().stream()
                            .filter(i -> isInternal(i.getPackageName()))
                            .forEach(i -> exposed.add("implements " + i.getName()));
                    for (JavaCodeUnit member : api.getCodeUnits()) {
                        if (visible(member.getModifiers())) {
                            List<JavaType> types = new ArrayList<>(member.getParameterTypes());
                            types.add(member.getReturnType());
                            types.addAll(member.getExceptionTypes());
                            internalIn(types).forEach(t -> exposed.add(member.getFullName() + " uses " + t));
                        }
                    }
                    for (JavaField field : api.getFields()) {
                        if (visible(field.getModifiers())) {
                            internalIn(List.of(field.getType()))
                                    .forEach(t -> exposed.add(field.getFullName() + " is " + t));
                        }
                    }
                    exposed.forEach(e -> events.add(SimpleConditionEvent.violated(api, api.getName() + ": " + e)));
                }
            });

    /** Production classes use no module above their own (see {@link #LAYERS}). */
    public static final ArchRule LAYERED = classes()
            .should(new ArchCondition<JavaClass>("use no module above their own (see ModuleBoundaries.LAYERS)") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    Integer rank = LAYERS.get(rootOf(origin.getPackageName()));
                    if (rank == null) {
                        return;
                    }
                    for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                        String target = dependency
                                .getTargetClass()
                                .getBaseComponentType()
                                .getPackageName();
                        Integer targetRank = LAYERS.get(rootOf(target));
                        if (targetRank != null && targetRank > rank) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            });

    /** A module's internal packages depend on each other without a cycle (each a room of its own). */
    public static final ArchRule INTERNAL_PACKAGES_WITHOUT_CYCLES =
            slices().matching("dev.steadfast.(*).internal.(*)..").should().beFreeOfCycles();

    @Test
    public void reachesIntoNoOtherModulesInternals() {
        NO_OTHER_MODULES_INTERNALS.check(ownClasses(true));
    }

    @Test
    public void apiPackagesExposeNoInternalType() {
        API_EXPOSES_NO_INTERNAL_TYPE.allowEmptyShould(true).check(ownClasses(false));
    }

    @Test
    public void usesNoModuleAboveItsOwn() {
        LAYERED.check(ownClasses(false));
    }

    @Test
    public void internalPackagesFormNoCycle() {
        INTERNAL_PACKAGES_WITHOUT_CYCLES.allowEmptyShould(true).check(ownClasses(false));
    }

    /**
     * The classes of the module whose test extends this class: its {@code target/classes}, with its
     * {@code target/test-classes} when asked.
     */
    protected JavaClasses ownClasses(boolean withTests) {
        Path testClasses;
        try {
            testClasses = Path.of(getClass()
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Path> paths = new ArrayList<>();
        Path mainClasses = testClasses.resolveSibling("classes");
        if (Files.isDirectory(mainClasses)) {
            paths.add(mainClasses);
        }
        if (withTests) {
            paths.add(testClasses);
        }
        return new ClassFileImporter().importPaths(paths);
    }

    /** {@code dev.steadfast.NAME} of a package, or the package itself outside {@code dev.steadfast}. */
    static String rootOf(String packageName) {
        String[] parts = packageName.split("\\.");
        return parts.length >= 3 && parts[0].equals("dev") && parts[1].equals("steadfast")
                ? "dev.steadfast." + parts[2]
                : packageName;
    }

    /**
     * The package that owns a Steadfast internal package ({@code dev.steadfast.queue} for {@code ...queue.internal.store}),
     * or null. Libraries' internals are not judged here (Flyway's executor API itself returns an internal type).
     */
    static String internalOwner(String packageName) {
        int at = (packageName + ".").indexOf(".internal.");
        return at < 0 || !packageName.startsWith("dev.steadfast.") ? null : packageName.substring(0, at);
    }

    private static boolean isInternal(String packageName) {
        return internalOwner(packageName) != null;
    }

    private static boolean within(String packageName, String root) {
        return packageName.equals(root) || packageName.startsWith(root + ".");
    }

    private static boolean qualified(String importerRoot, String target) {
        return QUALIFIED_EXPORTS.getOrDefault(importerRoot, Set.of()).stream().anyMatch(p -> within(target, p));
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static List<String> internalIn(List<? extends JavaType> types) {
        return types.stream()
                .flatMap(t -> t.getAllInvolvedRawTypes().stream())
                .map(JavaClass::getBaseComponentType)
                .filter(c -> isInternal(c.getPackageName()))
                .map(JavaClass::getName)
                .distinct()
                .toList();
    }
}
