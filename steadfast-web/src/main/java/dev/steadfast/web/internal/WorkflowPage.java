package dev.steadfast.web.internal;

import dev.steadfast.queue.WorkflowStep;
import dev.steadfast.queue.WorkflowView;
import dev.steadfast.queue.text.Redactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One workflow: its state, its steps drawn as a graph (SVG: a column per depth, the longest path from a first step;
 * each step a box coloured by its job's state and linked to the job; an edge from each parent), and a table of its
 * steps. Live: the page refreshes as the others do, so the colours follow the run.
 */
final class WorkflowPage {
    /** How much of a step's result the table shows (the job's page shows all of it). */
    static final int RESULT_SHOWN = 120;

    /** Above this many steps the graph would be unreadable: the table alone is shown. */
    static final int MAX_DRAWN = 400;

    private static final int BOX_W = 150;
    private static final int BOX_H = 30;
    private static final int GAP_X = 60;
    private static final int GAP_Y = 14;
    private static final int MARGIN = 10;

    private WorkflowPage() {}

    static String render(WorkflowView w) {
        return render(w, null, "");
    }

    /**
     * @param csrf  the token for the cancel and retry buttons; null on a read-only dashboard, which shows none
     * @param flash the text of a finished action, or empty
     */
    static String render(WorkflowView w, String csrf, String flash) {
        HtmlWriter b = new HtmlWriter();
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        if (csrf != null && !w.state().finished()) {
            button(b, csrf, "/workflows/" + w.id() + "/cancel", "Cancel workflow");
        }
        if (csrf != null && w.counts().getOrDefault("failed", 0L) > 0) {
            button(b, csrf, "/workflows/" + w.id() + "/retry", "Retry failed steps");
        }
        b.open("p")
                .text("State ")
                .element("span", w.state().text(), "class", "state-" + w.state().text())
                .text(" · " + WorkflowsPage.steps(w.counts()) + " · on failure: "
                        + w.onFailure().text()
                        + " · created " + Html.time(w.createdAt())
                        + (w.finishedAt() == null ? "" : " · finished " + Html.time(w.finishedAt())))
                .close("p");
        if (w.steps().size() <= MAX_DRAWN) {
            b.open("div", "class", "scroll").add(graph(w.steps())).close("div");
        } else {
            b.element("p", "too many steps to draw (" + w.steps().size() + "); the table lists them", "class", "muted");
        }
        b.open("div", "class", "scroll").open("table", "id", "steps").open("tr");
        for (String heading : new String[] {"Step", "Job", "State", "After", "Result"}) {
            b.element("th", heading);
        }
        b.close("tr");
        for (WorkflowStep s : w.steps()) {
            b.open("tr").element("td", s.name()).open("td").element("a", s.jobId(), "href", "/jobs/" + s.jobId());
            if (s.batch() != null) { // a step that is a batch: its job stands in for it
                b.text(" · ")
                        .element(
                                "a",
                                "batch " + s.batch().id(),
                                "href",
                                "/batches/" + s.batch().id())
                        .text(" " + s.batch().finished() + "/" + s.batch().total() + " finished");
            }
            b.close("td")
                    .open("td")
                    .element(
                            "span",
                            s.status().text(),
                            "class",
                            "state-" + s.status().text())
                    .close("td")
                    .element("td", String.join(", ", s.after()))
                    .element("td", result(s.result()), "class", "result")
                    .close("tr");
        }
        b.close("table").close("div");
        return Layout.livePage("Workflow " + w.id() + ": " + w.name(), "/workflows", b.fragment());
    }

    /** A step's result as the table shows it: masked as the job page's is, its first {@value #RESULT_SHOWN} characters. */
    static String result(String json) {
        if (json == null) {
            return "";
        }
        String masked = Redactor.process().redact(json);
        return masked.length() <= RESULT_SHOWN ? masked : masked.substring(0, RESULT_SHOWN) + "…";
    }

    private static void button(HtmlWriter b, String csrf, String action, String label) {
        b.open("form", "class", "inline", "method", "post", "action", action)
                .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                .element("button", label)
                .close("form")
                .text(" ");
    }

    /** The fill of a step's box by its job's status text. */
    static String colour(String status) {
        return switch (status) {
            case "succeeded" -> "#1f8a4c";
            case "failed" -> "#c0392b";
            case "running" -> "#2b59c3";
            case "pending", "scheduled" -> "#b7791f";
            case "cancelled" -> "#5f6b7a";
            default -> "#9aa4b2"; // waiting
        };
    }

    /** Each step's depth: the longest path to it from a first step (steps come parents first). */
    static Map<String, Integer> depths(List<WorkflowStep> steps) {
        Map<String, Integer> depth = new HashMap<>();
        for (WorkflowStep s : steps) {
            int d = 0;
            for (String parent : s.after()) {
                d = Math.max(d, depth.getOrDefault(parent, 0) + 1);
            }
            depth.put(s.name(), d);
        }
        return depth;
    }

    static HtmlWriter.Fragment graph(List<WorkflowStep> steps) {
        Map<String, Integer> depth = depths(steps);
        List<List<WorkflowStep>> layers = new ArrayList<>();
        Map<String, int[]> at = new HashMap<>(); // name -> x, y of the box's top left
        for (WorkflowStep s : steps) {
            int d = depth.get(s.name());
            while (layers.size() <= d) {
                layers.add(new ArrayList<>());
            }
            List<WorkflowStep> layer = layers.get(d);
            at.put(s.name(), new int[] {MARGIN + d * (BOX_W + GAP_X), MARGIN + layer.size() * (BOX_H + GAP_Y)});
            layer.add(s);
        }
        int tallest = layers.stream().mapToInt(List::size).max().orElse(0);
        int width = 2 * MARGIN + layers.size() * (BOX_W + GAP_X) - GAP_X;
        int height = 2 * MARGIN + tallest * (BOX_H + GAP_Y) - GAP_Y;
        HtmlWriter svg = new HtmlWriter();
        svg.open(
                "svg",
                "id",
                "graph",
                "xmlns",
                "http://www.w3.org/2000/svg",
                "width",
                width,
                "height",
                height,
                "viewBox",
                "0 0 " + width + " " + height,
                "role",
                "img",
                "aria-label",
                "the workflow's steps and what each runs after");
        for (WorkflowStep s : steps) {
            int[] to = at.get(s.name());
            for (String parent : s.after()) {
                int[] from = at.get(parent);
                svg.open(
                                "line",
                                "class",
                                "edge",
                                "x1",
                                from[0] + BOX_W,
                                "y1",
                                from[1] + BOX_H / 2,
                                "x2",
                                to[0],
                                "y2",
                                to[1] + BOX_H / 2,
                                "stroke",
                                "#9aa4b2",
                                "stroke-width",
                                "1.5")
                        .close("line");
            }
        }
        for (WorkflowStep s : steps) {
            int[] box = at.get(s.name());
            String status = s.status().text();
            svg.open("a", "href", "/jobs/" + s.jobId(), "class", "step", "data-state", status)
                    .element("title", s.name() + ": " + status + " (job " + s.jobId() + ")")
                    .open(
                            "rect",
                            "x",
                            box[0],
                            "y",
                            box[1],
                            "width",
                            BOX_W,
                            "height",
                            BOX_H,
                            "rx",
                            "5",
                            "fill",
                            colour(status))
                    .close("rect")
                    .element(
                            "text",
                            s.name().length() > 20 ? s.name().substring(0, 19) + "…" : s.name(),
                            "x",
                            box[0] + 8,
                            "y",
                            box[1] + BOX_H / 2 + 4,
                            "fill",
                            "#fff",
                            "font-size",
                            "12")
                    .close("a");
        }
        svg.close("svg");
        return svg.fragment();
    }
}
