package dev.steadfast.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * steadfast-bom manages every published module (a reactor jar that does not set {@code maven.deploy.skip}) at the
 * project's version, and nothing else: an application that imports it gets Steadfast's versions and keeps its own.
 */
class SteadfastBomTest {
    static final Path ROOT =
            Path.of(System.getProperty("steadfast.root", "..")).toAbsolutePath().normalize();

    @Test
    void theBomManagesExactlyThePublishedModulesAtTheProjectVersion() throws Exception {
        Document root = parse(ROOT.resolve("pom.xml"));
        String version = text(root.getDocumentElement(), "version");
        List<String> published = new ArrayList<>();
        for (Element module : children(child(root.getDocumentElement(), "modules"), "module")) {
            Element pom = parse(ROOT.resolve(module.getTextContent().strip()).resolve("pom.xml"))
                    .getDocumentElement();
            String packaging = text(pom, "packaging");
            Element properties = child(pom, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if ((packaging == null || packaging.equals("jar")) && !skipped) {
                published.add(text(pom, "artifactId"));
            }
        }

        Element bom = parse(ROOT.resolve("steadfast-bom/pom.xml")).getDocumentElement();
        assertThat(child(bom, "parent"))
                .as("a parent's dependencyManagement would pin third-party versions in applications")
                .isNull();
        assertThat(text(bom, "version")).isEqualTo(version);
        assertThat(text(bom, "packaging")).isEqualTo("pom");
        Map<String, String> managed = new TreeMap<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("dev.steadfast");
            managed.put(text(dependency, "artifactId"), text(dependency, "version"));
        }
        assertThat(managed.keySet()).as("published modules of %s", ROOT).containsExactlyInAnyOrderElementsOf(published);
        assertThat(managed.values()).containsOnly("${project.version}");
        assertThat(published)
                .as("the rule finds the library")
                .contains("steadfast-queue", "steadfast-spring-boot-starter")
                .doesNotContain("steadfast-bench", "steadfast-consumer-tests", "steadfast-examples");
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE
                    && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().strip();
    }
}
