/**
 * Gateway API facts (standard channel, schemas of v1.0.0 as packaged by
 * `@kubernetes-models/gateway-api`): Gateway and HTTPRoute are `v1` there.
 */

/** The Gateway API's API group. */
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/** The Gateway API release the generated objects were checked against. */
export const GATEWAY_API_VERSION = "v1.0.0";

/** Listener protocols that carry HTTPRoutes: `HTTPS` terminates TLS at the Gateway, `HTTP` is plain text. */
export const GatewayProtocols = { https: "HTTPS", http: "HTTP" } as const;
