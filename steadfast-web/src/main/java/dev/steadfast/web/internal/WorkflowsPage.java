package dev.steadfast.web.internal;

import dev.steadfast.queue.WorkflowView;
import java.util.List;
import java.util.Map;

/** Workflows, newest first, a page at a time: name, state, steps by state, when created and finished. */
final class WorkflowsPage {
    static final int PAGE = 50;

    private WorkflowsPage() {}

    static String render(List<WorkflowView> workflows, Long before) {
        HtmlWriter b = new HtmlWriter();
        b.open("div", "class", "scroll").open("table", "id", "workflows").open("tr");
        for (String heading : new String[] {"Workflow", "Name", "State", "Steps", "Created", "Finished"}) {
            b.element("th", heading);
        }
        b.close("tr");
        for (WorkflowView w : workflows) {
            b.open("tr")
                    .open("td")
                    .element("a", w.id(), "href", "/workflows/" + w.id())
                    .close("td")
                    .element("td", w.name())
                    .open("td")
                    .element(
                            "span",
                            w.state().text(),
                            "class",
                            "state-" + w.state().text())
                    .close("td")
                    .element("td", steps(w.counts()))
                    .element("td", Html.time(w.createdAt()))
                    .element("td", Html.time(w.finishedAt()))
                    .close("tr");
        }
        if (workflows.isEmpty()) {
            b.open("tr")
                    .element(
                            "td",
                            before == null ? "no workflows" : "no older workflows",
                            "colspan",
                            "6",
                            "class",
                            "muted")
                    .close("tr");
        }
        b.close("table").close("div");
        if (workflows.size() == PAGE) {
            b.open("p")
                    .element(
                            "a",
                            "Older",
                            "href",
                            "/workflows?before="
                                    + workflows.get(workflows.size() - 1).id())
                    .close("p");
        }
        return Layout.livePage("Workflows", "/workflows", b.fragment());
    }

    /** {@code 12: 10 succeeded, 2 waiting}. */
    static String steps(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder text = new StringBuilder().append(total);
        String sep = ": ";
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(counts).entrySet()) {
            text.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return text.toString();
    }
}
