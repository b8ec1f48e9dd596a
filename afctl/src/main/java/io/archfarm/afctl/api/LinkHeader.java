package io.archfarm.afctl.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rel="next"} target of RFC 8288 {@code Link} headers, as the farm pages its build history. */
final class LinkHeader {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile("(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;,]+))");

    private LinkHeader() {}

    /** A rel value is a list of relation types separated by blanks. */
    private static boolean isNext(String relationTypes) {
        for (String type : relationTypes.strip().split("\\s+")) {
            if (type.equalsIgnoreCase("next")) {
                return true;
            }
        }
        return false;
    }

    static Optional<String> next(List<String> headers) {
        for (String header : headers) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher rel = REL.matcher(link.group(2));
                if (rel.find() && isNext(rel.group(1) != null ? rel.group(1) : rel.group(2))) {
                    return Optional.of(link.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
