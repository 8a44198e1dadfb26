/**
 * Facts about Envoy, the proxy the factory runs in every inference pod to
 * check keys. Read at Envoy Gateway v1.9.0: `api/v1alpha1/shared_types.go`
 * (its default proxy image) and `internal/xds/translator/api_key_auth.go`
 * (how it configures Envoy's `api_key_auth` filter: `credentials` of
 * `{key, client}`, `key_sources` of `{header}`, `forwarding.header` for the
 * client's name); Envoy's API key auth filter docs (v1.34 onwards) for a
 * missing or unknown key being answered 401 and the `Authorization` header
 * as a key source; `internal/infrastructure/kubernetes/proxy/resource.go`
 * for the labels of the Gateway's proxy pods. Envoy's own
 * `source/extensions/filters/http/api_key_auth/api_key_auth.cc` (v1.39.0):
 * a header source drops a leading `Bearer ` (exactly so: case-sensitive, one
 * space) from the header's first value, from any header, then matches the
 * rest exactly; `hide_credentials` removes the source header; its counters
 * (`<stat_prefix>api_key_auth.{allowed,unauthorized,forbidden}`) are not
 * per client.
 */

/** Envoy as Envoy Gateway v1.9.0 runs it (`docker.io/envoyproxy/envoy:distroless-v1.39.0`), under the site's mirror. */
export const AUTH_PROXY_IMAGE = "envoyproxy/envoy:distroless-v1.39.0";

/** Envoy's HTTP filter names and config types the proxy uses. */
export const EnvoyFilters = {
  apiKeyAuth: "envoy.filters.http.api_key_auth",
  apiKeyAuthType: "type.googleapis.com/envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuth",
  apiKeyAuthPerRouteType: "type.googleapis.com/envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuthPerRoute",
  localRateLimit: "envoy.filters.http.local_ratelimit",
  localRateLimitType: "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
  router: "envoy.filters.http.router",
  routerType: "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
  httpConnectionManager: "envoy.filters.network.http_connection_manager",
  httpConnectionManagerType: "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
} as const;

/** Labels Envoy Gateway v1.9.0 puts on the proxy pods it runs for a Gateway. */
export const ENVOY_GATEWAY_PROXY_POD_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/component": "proxy",
  "app.kubernetes.io/managed-by": "envoy-gateway",
};

/** Labels of ingress-nginx controller pods (chart 4.x `app.kubernetes.io/name`). */
export const INGRESS_NGINX_POD_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/name": "ingress-nginx",
};

/**
 * Envoy's per-client request statistics, as its `/stats/prometheus` names
 * them (v1.39.0). The router charges each request that reaches an upstream to
 * the virtual cluster it matches (`vhost.<virtual host>.vcluster.<virtual
 * cluster>.upstream_rq_{completed,<N>xx,<code>}`, `source/common/http/
 * codes.cc`, chosen in `source/common/router/router.cc` from the request
 * headers as they stand when the router runs, after `api_key_auth` set the
 * client's header); Envoy's default tag extractors
 * (`source/common/config/well_known_names.cc`) turn the two names into the
 * tags `envoy.virtual_host` and `envoy.virtual_cluster`, the response class
 * into `envoy.response_code_class`, and Prometheus output writes tags with
 * `_` for `.`. A request refused before the router (401, 429) is in none.
 * Requests that match no virtual cluster are charged to `other`.
 */
export const EnvoyStatsMetrics = {
  virtualClusterCompleted: "envoy_vhost_vcluster_upstream_rq_completed",
  virtualClusterResponseClass: "envoy_vhost_vcluster_upstream_rq_xx",
} as const;

/** Labels of those series. */
export const EnvoyStatsLabels = {
  virtualHost: "envoy_virtual_host",
  virtualCluster: "envoy_virtual_cluster",
  responseCodeClass: "envoy_response_code_class",
} as const;

/** The virtual cluster Envoy charges requests that match none of a virtual host's virtual clusters. */
export const ENVOY_CATCH_ALL_VIRTUAL_CLUSTER = "other";
