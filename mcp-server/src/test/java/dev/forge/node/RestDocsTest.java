package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.node.app.StatementView;
import dev.forge.node.http.EconomyResource;
import dev.forge.node.http.GridResource;
import dev.forge.node.http.HealthResource;
import dev.forge.node.http.OperatorResource;
import dev.forge.node.http.OperatorViews;
import dev.forge.node.mcp.ToolSchemas;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/rest.md documents every REST call whose body and answer are records (the operator's
 * calls, the policy, the page's views, /health) with the tables generated from those records' schemas:
 * no call missing, none that no longer exists, no field, type, bound or meaning that differs.
 * No node is needed: the calls are read from the resources' JAX-RS annotations.
 */
class RestDocsTest {
    private static final List<Class<?>> RESOURCES = List.of(OperatorResource.class, OperatorViews.class, EconomyResource.class,
            HealthResource.class, GridResource.class);
    /** Answers given as a {@code Response} (the statement is JSON or CSV): their record, by call. */
    private static final Map<String, Class<?>> RESPONSE_ANSWERS = Map.of("GET /v1/forge/statement", StatementView.class);
    /** Calls that read their query string as a record (the statement): that record, by call. */
    private static final Map<String, Class<?>> QUERIES = Map.of("GET /v1/forge/statement", OperatorViews.StatementRequest.class,
            "GET /v1/forge/grid/statement", GridResource.GridStatementRequest.class);
    private static final Pattern HEADING = Pattern.compile("(?m)^#### `((?:GET|POST) /[^`]+)`$");

    @Test
    void everyRecordCallIsDocumentedAsItsRecordsDeclareIt() throws Exception {
        String docs = Files.readString(java.nio.file.Path.of("..", "docs", "rest.md"));
        Map<String, String> expected = sections();
        List<String> problems = new ArrayList<>();
        expected.forEach((call, text) -> {
            String section = section(docs, call);
            if (section == null) problems.add(call + " has no section in docs/rest.md");
            else if (!section.contains(text)) problems.add(call + "'s tables differ from its records' (fields, types, bounds, meanings)");
        });
        Set<String> documented = new TreeSet<>();
        var m = HEADING.matcher(docs);
        while (m.find()) documented.add(m.group(1));
        documented.removeAll(expected.keySet());
        if (!documented.isEmpty()) problems.add("documented but not served: " + documented);
        if (!problems.isEmpty()) {
            StringBuilder generated = new StringBuilder();
            expected.forEach((call, text) -> generated.append("#### `").append(call).append("`\n\n").append(text).append('\n'));
            var out = java.nio.file.Path.of("target", "rest-tables.md");
            Files.writeString(out, generated);
            throw new AssertionError(String.join("\n", problems) + "\n(the tables as the records give them: " + out + ")");
        }
    }

    @Test
    void theCallsAreFoundAtAll() {
        Map<String, String> calls = sections();
        for (String call : List.of("POST /v1/forge/accounts", "GET /v1/forge/operator/safety", "GET /v1/forge/pricing/history",
                "POST /v1/forge/policy", "GET /v1/forge/statement", "GET /health", "POST /v1/forge/operator/agents/{agent}/kill-right")) {
            assertTrue(calls.containsKey(call), call + " in " + calls.keySet());
        }
        assertTrue(calls.get("POST /v1/forge/operator/agents/{agent}/kill-right").contains("| `may_kill` | boolean | yes |"));
        assertTrue(calls.get("GET /v1/forge/statement").contains("| query parameter |"), "the statement's query");
        assertEquals(19, calls.size(), calls.keySet().toString());
    }

    /** Each call's tables, by "METHOD /path", from the records its method takes and answers. */
    static Map<String, String> sections() {
        Map<String, String> sections = new TreeMap<>();
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET" : method.isAnnotationPresent(POST.class) ? "POST" : null;
                if (verb == null) continue;
                Path path = method.getAnnotation(Path.class);
                String call = verb + " " + base + (path == null ? "" : path.value());
                Class<?> answer = RESPONSE_ANSWERS.getOrDefault(call, item(method));
                if (answer == null || !answer.isRecord()) continue;
                sections.put(call, tables(verb, method, QUERIES.get(call), answer));
            }
        }
        return sections;
    }

    private static String tables(String verb, Method method, Class<?> query, Class<?> answer) {
        StringBuilder out = new StringBuilder();
        if (query != null) out.append(ToolDocs.table(ToolSchemas.of(query), "query parameter", "required")).append('\n');
        var body = java.util.Arrays.stream(method.getParameters()).filter(p -> p.getAnnotations().length == 0)
                .map(java.lang.reflect.Parameter::getType).filter(Class::isRecord).findFirst();
        if (body.isPresent()) out.append(ToolDocs.table(ToolSchemas.of(body.get()), "body field", "required")).append('\n');
        else if (verb.equals("POST")) out.append("No body.\n\n");
        if (List.class.isAssignableFrom(method.getReturnType())) out.append("The answer is an array; each item:\n\n");
        out.append(ToolDocs.table(ToolSchemas.of(answer), "answer field", "always there"));
        return out.toString();
    }

    /** The record a method answers: its return type, or a list's item type; null if it answers no record. */
    private static Class<?> item(Method method) {
        if (method.getReturnType().isRecord()) return method.getReturnType();
        if (method.getGenericReturnType() instanceof ParameterizedType list && List.class.isAssignableFrom(method.getReturnType())
                && list.getActualTypeArguments()[0] instanceof Class<?> item) {
            return item;
        }
        return null;
    }

    /** From the call's heading to the next heading. */
    private static String section(String docs, String call) {
        var heading = Pattern.compile("(?m)^#### `" + Pattern.quote(call) + "`$").matcher(docs);
        if (!heading.find()) return null;
        int end = docs.indexOf("\n#", heading.end());
        return docs.substring(heading.end(), end < 0 ? docs.length() : end);
    }
}
