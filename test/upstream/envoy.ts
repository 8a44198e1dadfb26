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
 *
 * Route matching compares the path without its query (`?...`). Per-client
 * statistics and rate limits, from Envoy's source as of v1.39.0: the router
 * picks the first of the virtual host's `virtual_clusters` whose header
 * matchers all match the request as the filters left it (`:path` included;
 * `string_match` `exact` or `safe_regex`, a full match; `invert_match`), or
 * `other` when there are virtual clusters and none matches; requests answered
 * before the router are charged to none. The local rate limit filter
 * (`local_ratelimit.cc`, `local_ratelimit_impl.cc`) is off unless
 * `filter_enabled` is set, and only counts unless `filter_enforced` is; its
 * embedded `rate_limits` make one descriptor per config whose every action
 * yields an entry (`request_headers`: the header's value under
 * `descriptor_key`, none when the header is absent); a descriptor in
 * `descriptors` equal to the request's spends one of its tokens (429 when it
 * has none); the default bucket is spent when none matched, or always unless
 * `always_consume_default_token_bucket` is false. Buckets are modelled within
 * one fill window (no refill): pass the same `buckets` to a sequence of calls.
 */

/** What became of a request: an answer from Envoy, or the request vLLM gets (and the virtual cluster it is charged to). */
export type EnvoyOutcome =
  | { readonly status: number }
  | { readonly cluster: string; readonly path: string; readonly headers: Readonly<Record<string, string>> };

interface RouteEntry {
  match: { path?: string; prefix?: string };
  route?: { cluster: string; prefix_rewrite?: string };
  direct_response?: { status: number };
  typed_per_filter_config?: Record<string, { disabled?: boolean }>;
}

interface Bucket {
  max_tokens: number;
}

interface Filter {
  name: string;
  typed_config: {
    credentials?: { key: string; client: string }[];
    key_sources?: { header?: string }[];
    forwarding?: { header?: string; hide_credentials?: boolean };
    token_bucket?: Bucket;
    filter_enabled?: { default_value: { numerator: number; denominator?: string } };
    filter_enforced?: { default_value: { numerator: number; denominator?: string } };
    always_consume_default_token_bucket?: boolean;
    rate_limits?: { actions: { request_headers?: { header_name: string; descriptor_key: string } }[] }[];
    descriptors?: { entries: { key: string; value: string }[]; token_bucket: Bucket }[];
  };
}

interface HeaderMatcher {
  name: string;
  string_match?: { exact?: string; safe_regex?: { regex: string } };
  invert_match?: boolean;
}

interface VirtualHost {
  routes: RouteEntry[];
  virtual_clusters?: { name: string; headers: HeaderMatcher[] }[];
}

interface Listener {
  name: string;
  filter_chains: { filters: { typed_config: { route_config: { virtual_hosts: VirtualHost[] }; http_filters: Filter[] } }[] }[];
}

const BEARER = "Bearer ";

function keyOf(filter: Filter, headers: ReadonlyMap<string, string>): string | undefined {
  for (const source of filter.typed_config.key_sources ?? []) {
    const name = source.header?.toLowerCase();
    const value = name === undefined ? undefined : headers.get(name);
    if (value === undefined) continue;
    const key = value.startsWith(BEARER) ? value.slice(BEARER.length) : value;
    if (key !== "") return key;
  }
  return undefined;
}

/** `api_key_auth`: a status when it refuses, otherwise the headers it passes on. */
function apiKeyAuth(filter: Filter, headers: Map<string, string>): number | undefined {
  const key = keyOf(filter, headers);
  const credential = filter.typed_config.credentials?.find((c) => c.key === key);
  if (key === undefined || credential === undefined) return 401;
  const forwarding = filter.typed_config.forwarding;
  if (forwarding?.header !== undefined) headers.set(forwarding.header, credential.client);
  if (forwarding?.hide_credentials === true) {
    for (const source of filter.typed_config.key_sources ?? []) if (source.header !== undefined) headers.delete(source.header.toLowerCase());
  }
  return undefined;
}

const everyRequest = (p: { default_value: { numerator: number; denominator?: string } } | undefined) =>
  p !== undefined && p.default_value.numerator === 100 && (p.default_value.denominator ?? "HUNDRED") === "HUNDRED";

/** `local_ratelimit`: 429 when a bucket it spends from is empty and it enforces. */
function localRateLimit(filter: Filter, headers: ReadonlyMap<string, string>, buckets: Map<string, number>): number | undefined {
  const c = filter.typed_config;
  if (!everyRequest(c.filter_enabled)) return undefined;
  const request = (c.rate_limits ?? []).flatMap((limit) => {
    const entries = limit.actions.map((a) => (a.request_headers === undefined ? undefined : headers.get(a.request_headers.header_name.toLowerCase())));
    if (entries.some((e) => e === undefined)) return [];
    return [limit.actions.map((a, i) => `${a.request_headers!.descriptor_key}=${entries[i]!}`).join(",")];
  });
  const spend = (id: string, bucket: Bucket | undefined): boolean => {
    const left = buckets.get(id) ?? bucket?.max_tokens ?? 0;
    if (left === 0) return false;
    buckets.set(id, left - 1);
    return true;
  };
  let allowed = true;
  let matched = false;
  for (const d of c.descriptors ?? []) {
    const id = d.entries.map((e) => `${e.key}=${e.value}`).join(",");
    if (!request.includes(id)) continue;
    matched = true;
    allowed = spend(id, d.token_bucket);
    if (!allowed) break;
  }
  if (allowed && (!matched || c.always_consume_default_token_bucket !== false)) allowed = spend("(default)", c.token_bucket);
  return allowed || !everyRequest(c.filter_enforced) ? undefined : 429;
}

function headerMatches(m: HeaderMatcher, headers: ReadonlyMap<string, string>): boolean {
  const value = headers.get(m.name);
  if (value === undefined) return false;
  const exact = m.string_match?.exact;
  const regex = m.string_match?.safe_regex?.regex;
  const hit = exact !== undefined ? value === exact : regex !== undefined ? new RegExp(`^(?:${regex})$`).test(value) : true;
  return m.invert_match === true ? !hit : hit;
}

/** The virtual cluster the router charges a request to, if the virtual host has any. */
function virtualClusterOf(host: VirtualHost, path: string, headers: ReadonlyMap<string, string>): string | undefined {
  if (host.virtual_clusters === undefined || host.virtual_clusters.length === 0) return undefined;
  const all = new Map([...headers, [":path", path]]);
  return host.virtual_clusters.find((vc) => vc.headers.every((m) => headerMatches(m, all)))?.name ?? "other";
}

/** Envoy's handling of one request: the outcome, and the virtual cluster the router charged it to (if it got there). */
export function envoyHandle(
  config: { resources: unknown[] },
  listener: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  buckets: Map<string, number> = new Map(),
): { outcome: EnvoyOutcome; virtualCluster?: string } {
  const l = (config.resources as Listener[]).find((r) => r.name === listener);
  if (l === undefined) throw new Error(`no listener ${listener}`);
  const hcm = l.filter_chains[0]!.filters[0]!.typed_config;
  const host = hcm.route_config.virtual_hosts[0]!;
  const routePath = path.split(/[?#]/)[0]!;
  const route = host.routes.find((r) => (r.match.path !== undefined ? r.match.path === routePath : routePath.startsWith(r.match.prefix ?? "\u0000")));
  if (route === undefined) return { outcome: { status: 404 } };
  const forwarded = new Map(Object.entries(headers));
  for (const filter of hcm.http_filters) {
    if (route.typed_per_filter_config?.[filter.name]?.disabled === true) continue;
    const refused =
      filter.name === "envoy.filters.http.api_key_auth"
        ? apiKeyAuth(filter, forwarded)
        : filter.name === "envoy.filters.http.local_ratelimit"
          ? localRateLimit(filter, forwarded, buckets)
          : undefined;
    if (refused !== undefined) return { outcome: { status: refused } };
  }
  if (route.direct_response !== undefined) return { outcome: { status: route.direct_response.status } };
  const rewrite = route.route?.prefix_rewrite;
  const upstreamPath = rewrite === undefined ? path : rewrite + path.slice((route.match.path ?? route.match.prefix ?? "").length);
  const virtualCluster = virtualClusterOf(host, path, forwarded);
  const outcome = { cluster: route.route!.cluster, path: upstreamPath, headers: Object.fromEntries(forwarded) };
  return virtualCluster === undefined ? { outcome } : { outcome, virtualCluster };
}

/** Envoy's answer to `path` with `headers` (lower-case names) on the named listener. */
export function envoyAnswer(
  config: { resources: unknown[] },
  listener: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  buckets: Map<string, number> = new Map(),
): EnvoyOutcome {
  return envoyHandle(config, listener, path, headers, buckets).outcome;
}
