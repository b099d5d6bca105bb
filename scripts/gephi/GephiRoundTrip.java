// Imports a GEXF file into the Gephi toolkit, headless and with Gephi's default import settings,
// and prints what Gephi holds as one JSON object: node counts per `kind` attribute, edge counts
// per edge kind (Gephi's edge type label), the number of edges whose weight differs from the file's,
// and the import report's issues. Run by scripts/gephi-roundtrip, which compares the counts with the file's.
import java.io.File;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import org.gephi.graph.api.Edge;
import org.gephi.graph.api.Graph;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Node;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

public class GephiRoundTrip {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GephiRoundTrip FILE.gexf");
            System.exit(2);
        }
        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        projects.newProject();
        Workspace workspace = projects.getCurrentWorkspace();
        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        Container container = importer.importFile(new File(args[0]));
        if (container == null) {
            System.err.println("Gephi could not import " + args[0]);
            System.exit(1);
        }
        StringBuilder issues = new StringBuilder();
        for (Iterator<Issue> it = container.getReport().getIssues(1000); it.hasNext();) {
            Issue issue = it.next();
            if (issues.length() > 0) issues.append(',');
            issues.append(quote(issue.getLevel() + ": " + issue.getMessage()));
        }
        importer.process(container, new DefaultProcessor(), workspace);
        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);
        Graph graph = model.getGraph();

        Map<String, Integer> nodes = new TreeMap<>();
        boolean nodeKinds = model.getNodeTable().hasColumn("kind");
        boolean edgeCounts = model.getEdgeTable().hasColumn("count");
        for (Node node : graph.getNodes()) {
            Object kind = nodeKinds ? node.getAttribute("kind") : null;
            nodes.merge(String.valueOf(kind), 1, Integer::sum);
        }
        Map<String, Integer> edges = new TreeMap<>();
        int weightsDiffering = 0;
        for (Edge edge : graph.getEdges()) {
            edges.merge(String.valueOf(edge.getTypeLabel()), 1, Integer::sum);
            Object count = edgeCounts ? edge.getAttribute("count") : null;
            if (count instanceof Number && ((Number) count).doubleValue() != edge.getWeight()) {
                weightsDiffering++;
            }
        }
        System.out.println("{\"nodes\":" + json(nodes) + ",\"edges\":" + json(edges)
                + ",\"weights_differing_from_count\":" + weightsDiffering
                + ",\"issues\":[" + issues + "]}");
        System.exit(0);  // the toolkit leaves non-daemon threads behind
    }

    private static String json(Map<String, Integer> counts) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            if (out.length() > 1) out.append(',');
            out.append(quote(entry.getKey())).append(':').append(entry.getValue());
        }
        return out.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
