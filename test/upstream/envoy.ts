/**
 * How Envoy answers a request on one listener of a static or file-loaded
 * config, per its route and API key auth docs (Envoy v1.34 onwards, as Envoy
 * Gateway v1.9.0 runs v1.39): the first route whose `path` equals or whose
 * `prefix` starts the request path is chosen before the filters run; a
 * route's `typed_per_filter_config` with `disabled: true` skips that filter;
 * `api_key_auth` takes the key from its header source and answers 401 for a
 * missing or unknown key, and forwards the client's name in its forwarding
 * header; a `direct_response` answers with its status.
 *
 * How `api_key_auth` reads a key, from Envoy's own source
 * (`source/extensions/filters/http/api_key_auth/api_key_auth.cc`,
 * `KeySources::Source::getKey`, as of v1.39.0): a header source takes the
 * header's first value and, if it starts with exactly `Bearer ` (case and
 * the one space as written), drops those seven characters, whatever the
 * header's name; an empty result counts as no key and the next source is
 * tried; the key is then looked up as is (exact match) among `credentials`;
 * `hide_credentials` removes every key source's header.
 */

/** What became of a request. */
export type EnvoyOutcome =
  | { readonly status: number }
  | { readonly cluster: string; readonly path: string; readonly headers: Readonly<Record<string, string>> };

interface RouteEntry {
  match: { path?: string; prefix?: string };
  route?: { cluster: string; prefix_rewrite?: string };
  direct_response?: { status: number };
  typed_per_filter_config?: Record<string, { disabled?: boolean }>;
}

interface Filter {
  name: string;
  typed_config: {
    credentials?: { key: string; client: string }[];
    key_sources?: { header?: string }[];
    forwarding?: { header?: string; hide_credentials?: boolean };
  };
}

interface Listener {
  name: string;
  filter_chains: { filters: { typed_config: { route_config: { virtual_hosts: { routes: RouteEntry[] }[] }; http_filters: Filter[] } }[] }[];
}

const BEARER = "Bearer ";

function keyOf(filter: Filter, headers: Readonly<Record<string, string>>): string | undefined {
  for (const source of filter.typed_config.key_sources ?? []) {
    const name = source.header?.toLowerCase();
    const value = name === undefined ? undefined : headers[name];
    if (value === undefined) continue;
    const key = value.startsWith(BEARER) ? value.slice(BEARER.length) : value;
    if (key !== "") return key;
  }
  return undefined;
}

/** Envoy's answer to `path` with `headers` (lower-case names) on the named listener. */
export function envoyAnswer(
  config: { resources: unknown[] },
  listener: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
): EnvoyOutcome {
  const l = (config.resources as Listener[]).find((r) => r.name === listener);
  if (l === undefined) throw new Error(`no listener ${listener}`);
  const hcm = l.filter_chains[0]!.filters[0]!.typed_config;
  const routes = hcm.route_config.virtual_hosts[0]!.routes;
  const route = routes.find((r) => (r.match.path !== undefined ? r.match.path === path : path.startsWith(r.match.prefix ?? "\u0000")));
  if (route === undefined) return { status: 404 };
  const forwarded = new Map(Object.entries(headers));
  for (const filter of hcm.http_filters) {
    if (route.typed_per_filter_config?.[filter.name]?.disabled === true) continue;
    if (filter.name !== "envoy.filters.http.api_key_auth") continue;
    const key = keyOf(filter, headers);
    const credential = filter.typed_config.credentials?.find((c) => c.key === key);
    if (key === undefined || credential === undefined) return { status: 401 };
    const forwarding = filter.typed_config.forwarding;
    if (forwarding?.header !== undefined) forwarded.set(forwarding.header, credential.client);
    if (forwarding?.hide_credentials === true) {
      for (const source of filter.typed_config.key_sources ?? []) if (source.header !== undefined) forwarded.delete(source.header.toLowerCase());
    }
  }
  if (route.direct_response !== undefined) return { status: route.direct_response.status };
  const rewrite = route.route?.prefix_rewrite;
  const upstreamPath = rewrite === undefined ? path : rewrite + path.slice((route.match.path ?? route.match.prefix ?? "").length);
  return { cluster: route.route!.cluster, path: upstreamPath, headers: Object.fromEntries(forwarded) };
}
