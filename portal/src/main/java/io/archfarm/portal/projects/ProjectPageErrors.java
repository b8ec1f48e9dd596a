package io.archfarm.portal.projects;

import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.problems.ApiProblem.FieldProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's refusal of a form, message by message, under the field it concerns (the API's field names), so that the
 * page can show each one next to its input. A message about no field the form has goes under {@code elsewhere}.
 */
final class ProjectPageErrors {

    private ProjectPageErrors() {}

    static Map<String, List<String>> byField(ApiProblem problem, Collection<String> fields, String elsewhere) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        problems(problem)
                .forEach(p -> errors.computeIfAbsent(
                                fields.contains(p.field()) ? p.field() : elsewhere, f -> new ArrayList<>())
                        .add(p.detail()));
        return errors;
    }

    /** Both refusals together, the first one's messages first. */
    static Map<String, List<String>> merged(Map<String, List<String>> first, Map<String, List<String>> second) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        first.forEach((field, messages) ->
                merged.computeIfAbsent(field, f -> new ArrayList<>()).addAll(messages));
        second.forEach((field, messages) ->
                merged.computeIfAbsent(field, f -> new ArrayList<>()).addAll(messages));
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static List<FieldProblem> problems(ApiProblem problem) {
        if (problem.properties().get("errors") instanceof List<?> list) {
            return (List<FieldProblem>) list;
        }
        Object field = problem.properties().get("field");
        return List.of(new FieldProblem(field == null ? "" : field.toString(), problem.getMessage()));
    }
}
