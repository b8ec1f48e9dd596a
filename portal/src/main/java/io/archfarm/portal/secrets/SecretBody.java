package io.archfarm.portal.secrets;

import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.problems.ApiProblem.FieldProblem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code PUT …/secrets/{id}}: the value of a build secret. It is write-only, so it never appears in an answer, a
 * page or the log (hence {@link #toString()}).
 */
record SecretBody(@Nullable String value) {

    /** What buildah accepts as a secret id, and what fits a file name in the job's secrets directory. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /**
     * 48 KiB, GitHub's limit for an Actions secret: room for a key or a certificate chain, and the JSON body that
     * carries it stays under the portal's 64 KiB request limit even with a few escapes.
     */
    static final int MAX_VALUE_BYTES = 48 * 1024;

    static String checkedId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw ApiProblem.badRequest(
                    "id",
                    "secret id '" + (id == null ? "" : abbreviated(id))
                            + "' is invalid: 1 to 64 letters, digits, '_', '.' or '-' (and not '.' or '..')");
        }
        return id;
    }

    /**
     * @return the value, checked
     * @throws ApiProblem when the value is missing, empty or too large
     */
    String validValue() {
        if (value == null || value.isEmpty()) {
            throw ApiProblem.invalidFields(List.of(new FieldProblem(
                    "value",
                    "value is required: a JSON body {\"value\": \"…\"} with the secret, at least one character")));
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw ApiProblem.invalidFields(List.of(new FieldProblem(
                    "value", "value is " + bytes + " bytes (UTF-8); a secret may have at most " + MAX_VALUE_BYTES)));
        }
        return value;
    }

    private static String abbreviated(String id) {
        return id.length() > 80 ? id.substring(0, 80) + "…" : id;
    }

    @Override
    public String toString() {
        return "SecretBody[value hidden]";
    }
}
