/**
 * Ingress controllers whose per-Ingress timeout annotations the factory
 * knows. nginx's `proxy_read_timeout` and `proxy_send_timeout` apply between
 * two successive reads or writes of the upstream connection, so at the
 * request timeout they cover the wait for the first token of a long
 * non-streamed generation as well as the gaps of a stream.
 *
 * - `ingress-nginx` (kubernetes/ingress-nginx, controller v1.x, retired in
 *   March 2026; `docs/user-guide/nginx-configuration/annotations.md`):
 *   `nginx.ingress.kubernetes.io/proxy-read-timeout` and `-send-timeout`,
 *   whole seconds without a unit (default 60).
 * - `nginx` (F5 NGINX Ingress Controller 5.x, "Advanced configuration with
 *   Annotations"): `nginx.org/proxy-read-timeout` and `-send-timeout`, nginx
 *   times such as `600s` (default 60s).
 * - `other`: no annotation is written; set the controller's own timeout.
 */

/** The Ingress controllers `cluster.ingress.controller` may name. */
export const INGRESS_CONTROLLERS = ["ingress-nginx", "nginx", "other"] as const;

/** One of them. */
export type IngressController = (typeof INGRESS_CONTROLLERS)[number];

/** The annotations that give an Ingress's backend requests `seconds` to answer, per controller. */
export function ingressTimeoutAnnotations(controller: IngressController, seconds: number): Record<string, string> {
  switch (controller) {
    case "ingress-nginx":
      return {
        "nginx.ingress.kubernetes.io/proxy-read-timeout": String(seconds),
        "nginx.ingress.kubernetes.io/proxy-send-timeout": String(seconds),
      };
    case "nginx":
      return { "nginx.org/proxy-read-timeout": `${seconds}s`, "nginx.org/proxy-send-timeout": `${seconds}s` };
    case "other":
      return {};
  }
}
