package dev.tandem.transcoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes an HTTP method and path to the most specific matching {@link Route}.
 *
 * <p>Built once from compiled routes; two routes of the same HTTP method whose templates have the
 * same {@link PathTemplate#shape() shape} would claim the same requests, so building fails with an
 * {@link InvalidHttpRuleException} naming both RPCs and rules. Per request, only the routes of the
 * request's method are tried, most specific first (see {@link PathTemplate#compareSpecificity}).
 * Immutable and thread-safe.
 */
public final class RouteTable {

    /**
     * A matched route with the values of its path variables.
     *
     * @param route the route
     * @param pathValues one decoded value per template variable
     */
    public record Match(Route route, String[] pathValues) {}

    private static final Route[] NONE = new Route[0];

    private final Map<String, Route[]> byMethod;
    private final List<Route> all;
    /** The decoded first segment of every template that starts with a literal. */
    private final Set<String> firstLiterals;
    /** Whether some template starts with a variable (or has no segment), so any path may match it. */
    private final boolean anyFirst;

    private RouteTable(Map<String, Route[]> byMethod, List<Route> all) {
        this.byMethod = byMethod;
        this.all = all;
        Set<String> literals = new java.util.HashSet<>();
        boolean any = false;
        for (Route r : all) {
            List<PathTemplate.Segment> segments = r.template().segments();
            if (!segments.isEmpty() && segments.get(0).kind() == PathTemplate.Kind.LITERAL) {
                literals.add(segments.get(0).literal());
            } else {
                any = true;
            }
        }
        this.firstLiterals = Set.copyOf(literals);
        this.anyFirst = any;
    }

    /**
     * @param routes compiled routes
     * @return the table
     * @throws InvalidHttpRuleException if two routes claim the same method and path shape
     */
    public static RouteTable of(List<Route> routes) {
        Map<String, Route> byShape = new HashMap<>();
        Map<String, List<Route>> grouped = new HashMap<>();
        for (Route r : routes) {
            String key = r.httpMethod() + " " + r.template().shape();
            Route previous = byShape.putIfAbsent(key, r);
            if (previous != null) {
                throw new InvalidHttpRuleException("rules conflict: " + previous.rpc().fullName() + " \""
                        + previous.rule() + "\" and " + r.rpc().fullName() + " \"" + r.rule()
                        + "\" both claim " + key);
            }
            grouped.computeIfAbsent(r.httpMethod(), m -> new ArrayList<>()).add(r);
        }
        Map<String, Route[]> byMethod = new HashMap<>();
        grouped.forEach((method, list) -> {
            Route[] sorted = list.toArray(NONE);
            Arrays.sort(sorted, (a, b) -> PathTemplate.compareSpecificity(a.template(), b.template()));
            byMethod.put(method, sorted);
        });
        return new RouteTable(Map.copyOf(byMethod), List.copyOf(routes));
    }

    /**
     * Whether any route of any method could match {@code path}, by its first segment alone: a path
     * such as {@code /q/health} that starts where no template does is passed on without trying the
     * routes, neither for a match nor for {@link #allowedMethods}.
     *
     * @param path the split request path
     * @return {@code false} only when neither {@link #match} nor {@link #allowedMethods} can find a
     *     route for it
     */
    public boolean mayMatch(RequestPath path) {
        if (anyFirst) {
            return true;
        }
        String[] decoded = path.decodedSegments();
        if (decoded[0] != null && firstLiterals.contains(decoded[0])) {
            return true;
        }
        String[] beforeVerb = path.decodedSegmentsBeforeVerb();
        return beforeVerb != null && beforeVerb[0] != null && firstLiterals.contains(beforeVerb[0]);
    }

    /**
     * @param httpMethod upper-case HTTP method
     * @param path the split request path
     * @return the most specific match, or {@code null}
     * @throws TranscodingException {@code INVALID_ARGUMENT} if a bound segment is malformed
     */
    public Match match(String httpMethod, RequestPath path) {
        for (Route r : byMethod.getOrDefault(httpMethod, NONE)) {
            String[] values = r.template().match(path);
            if (values != null) {
                return new Match(r, values);
            }
        }
        return null;
    }

    /**
     * The methods whose routes match {@code path}: the {@code Allow} header of a 405.
     *
     * @param path the split request path
     * @return upper-case HTTP methods, sorted; empty if no route of any method matches
     */
    public Set<String> allowedMethods(RequestPath path) {
        Set<String> allowed = new TreeSet<>();
        for (Map.Entry<String, Route[]> e : byMethod.entrySet()) {
            for (Route r : e.getValue()) {
                try {
                    if (r.template().match(path) != null) {
                        allowed.add(e.getKey());
                        break;
                    }
                } catch (TranscodingException malformed) {
                    allowed.add(e.getKey());
                    break;
                }
            }
        }
        return allowed;
    }

    /** @return every route, in the order given to {@link #of} */
    public List<Route> routes() {
        return all;
    }
}
