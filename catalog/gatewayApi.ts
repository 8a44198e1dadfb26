/**
 * Gateway API facts. The site must run the standard channel of v1.2.1 or
 * later: HTTPRoute `rules[].timeouts` (`request`, `backendRequest`) moved to
 * the standard channel in v1.2.0 (before, only the experimental CRDs had it,
 * and a standard-channel API server drops the field). Read from
 * `gateway.networking.k8s.io_httproutes.yaml` of v1.2.1, standard channel.
 * `@kubernetes-models/gateway-api` 0.5.1, which the plan validates with,
 * ships the v1.0.0 schemas with `timeouts` (from its experimental channel),
 * so it accepts the field; the plan's objects are also checked by hand
 * against the v1.2.1 standard CRD.
 */

/** The Gateway API's API group. */
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/** The Gateway API release (standard channel) a site must run at least. */
export const GATEWAY_API_VERSION = "v1.2.1";

/** The Gateway API release channel a site must install. */
export const GATEWAY_API_CHANNEL = "standard";

/** Listener protocols that carry HTTPRoutes: `HTTPS` terminates TLS at the Gateway, `HTTP` is plain text. */
export const GatewayProtocols = { https: "HTTPS", http: "HTTP" } as const;

/**
 * A Gateway API duration (GEP-2257), as the v1.2.1 CRD's pattern has it:
 * one to four `<1-5 digits><h|m|s|ms>` parts, such as `10m` or `1h30m`.
 */
export const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/**
 * How Envoy Gateway v1.9.0 turns a route rule's `timeouts` into Envoy's route
 * timeout (`internal/gatewayapi/route.go` `processRouteTimeout`,
 * `internal/xds/translator/route.go`): `request` becomes the route timeout;
 * `backendRequest`, when the rule has no retry, replaces it (so setting a
 * shorter `backendRequest` would cut streams at that value). Without either,
 * Envoy's own default of 15 s applies. The route's stream idle timeout is
 * then the larger of one hour and the route timeout (0 when it is 0), unless
 * a BackendTrafficPolicy or ClientTrafficPolicy sets one.
 */
export const ENVOY_GATEWAY_VERSION = "v1.9.0";

/** Envoy's route timeout when a route sets none, in seconds (what cut long generations). */
export const ENVOY_DEFAULT_ROUTE_TIMEOUT_SECONDS = 15;

/** The stream idle timeout Envoy Gateway v1.9.0 gives a route with a request timeout, at least, in seconds. */
export const ENVOY_GATEWAY_ROUTE_IDLE_FLOOR_SECONDS = 3600;
