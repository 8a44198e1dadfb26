/**
 * How long the external route waits for a model's answer. A long generation,
 * streamed or not, outlasts Envoy's default route timeout of 15 s, which
 * applies when an HTTPRoute sets none; nginx-based Ingress controllers cut
 * an upstream that sends nothing for 60 s (a long prompt before its first
 * token). Every route gets the service's `requestTimeout`.
 */
import { ingressTimeoutAnnotations } from "../../catalog";
import { type ClusterConfig, type InferenceConfig, durationSeconds } from "../../config";

/**
 * An HTTPRoute rule's `timeouts`: only `request`. Envoy Gateway v1.9.0 makes
 * it the route timeout, and lets a `backendRequest` replace it when the rule
 * has no retry, so one would only be a second place to cut a stream; the
 * route's idle timeout then follows the request timeout (at least an hour).
 */
export function routeTimeouts(service: Pick<InferenceConfig, "requestTimeout">): { request: string } {
  return { request: service.requestTimeout };
}

/** The Ingress fallback's annotations for the same timeout, in its controller's keys and unit. */
export function ingressTimeouts(
  service: Pick<InferenceConfig, "requestTimeout">,
  ingress: Pick<ClusterConfig["ingress"], "controller">,
): Record<string, string> {
  const seconds = durationSeconds(service.requestTimeout);
  if (seconds === undefined) throw new Error(`requestTimeout '${service.requestTimeout}' is not a Gateway API duration`);
  return ingressTimeoutAnnotations(ingress.controller, Math.ceil(seconds));
}
