/**
 * How an Ingress controller and a Gateway route a request, per the Kubernetes
 * Ingress and Gateway API specifications: hosts match exactly (or one label
 * under a `*.` wildcard), `Prefix` / `PathPrefix` match whole path elements
 * (`/v1` matches `/v1` and `/v1/models`, not `/v1x`), `Exact` matches the
 * path. Returns the backend Service a request reaches, or undefined.
 */
type Router = (host: string, path: string) => string | undefined;

function hostMatches(pattern: string | undefined, host: string): boolean {
  if (pattern === undefined || pattern === "") return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes(".");
  return pattern === host;
}

function pathMatches(type: string, value: string, path: string): boolean {
  if (type === "Exact") return path === value;
  const prefix = value.replace(/\/+$/, "");
  if (prefix === "") return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

interface IngressPath { path?: string; pathType: string; backend: { service?: { name: string } } }
interface IngressRule { host?: string; http?: { paths: IngressPath[] } }

/** The router of an Ingress object. */
export function ingressRoutes(ingress: { spec?: { rules?: IngressRule[] } }): Router {
  return (host, path) => {
    for (const rule of ingress.spec?.rules ?? []) {
      if (!hostMatches(rule.host, host)) continue;
      for (const p of rule.http?.paths ?? []) {
        if (pathMatches(p.pathType, p.path ?? "/", path)) return p.backend.service?.name;
      }
    }
    return undefined;
  };
}

interface RouteRule {
  matches?: { path?: { type?: string; value?: string } }[];
  backendRefs?: { name: string }[];
}

/** The router of an HTTPRoute (a rule with no matches matches every path, as the spec defaults `/`). */
export function httpRouteRoutes(route: { spec: Record<string, unknown> }): Router {
  const spec = route.spec as { hostnames?: string[]; rules?: RouteRule[] };
  return (host, path) => {
    if (spec.hostnames !== undefined && !spec.hostnames.some((h) => hostMatches(h, host))) return undefined;
    for (const rule of spec.rules ?? []) {
      const matches = rule.matches ?? [{ path: { type: "PathPrefix", value: "/" } }];
      if (matches.some((m) => pathMatches(m.path?.type ?? "PathPrefix", m.path?.value ?? "/", path))) {
        return rule.backendRefs?.[0]?.name;
      }
    }
    return undefined;
  };
}
