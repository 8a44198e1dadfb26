/**
 * Envoy Gateway v1.9.0's translation of an HTTPRoute rule's `timeouts` into
 * the Envoy route's `timeout` and `idle_timeout`, as read in
 * `internal/gatewayapi/route.go` (`processRouteTimeout`) and
 * `internal/xds/translator/route.go` (`getEffectiveRequestTimeout`,
 * `idleTimeout`), for a route with no BackendTrafficPolicy or
 * ClientTrafficPolicy. Seconds; undefined is "not set on the route".
 */
import { ENVOY_DEFAULT_ROUTE_TIMEOUT_SECONDS, ENVOY_GATEWAY_ROUTE_IDLE_FLOOR_SECONDS } from "../../catalog";
import { durationSeconds } from "../../config";

interface Rule {
  timeouts?: { request?: string; backendRequest?: string };
  retry?: unknown;
}

/** The Envoy route's timeouts for one rule. A route without `timeout` gets Envoy's default (15 s). */
export function envoyRouteTimeouts(rule: Rule): { timeout: number; idleTimeout: number | undefined } {
  let route: number | undefined;
  const parse = (d: string) => durationSeconds(d) ?? 15; // EG falls back to its HTTPRequestTimeout (15s) on a parse error
  if (rule.timeouts?.request !== undefined) route = parse(rule.timeouts.request);
  if (rule.timeouts?.backendRequest !== undefined && rule.retry === undefined) route = parse(rule.timeouts.backendRequest);
  if (route === undefined) return { timeout: ENVOY_DEFAULT_ROUTE_TIMEOUT_SECONDS, idleTimeout: undefined };
  const idle = route === 0 ? 0 : Math.max(ENVOY_GATEWAY_ROUTE_IDLE_FLOOR_SECONDS, route);
  return { timeout: route, idleTimeout: idle };
}
