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
