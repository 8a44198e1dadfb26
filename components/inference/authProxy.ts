/**
 * The key-checking proxy in every inference pod: vLLM listens on loopback
 * only, and Envoy (as Envoy Gateway v1.9.0 runs it) is the pod's only way in.
 * On the API port every path but `/health` needs a valid key (Envoy's
 * `api_key_auth` filter answers 401 otherwise), whatever vLLM itself checks:
 * vLLM v0.11.0 checks its own key only under `/v1`. `/metrics` is served only
 * on the metrics port, which the network policy opens to the site's
 * Prometheus pods alone. Pure: the config is built from plain values, keys
 * included, and the component wraps it in a Secret.
 */
import { EnvoyFilters } from "../../catalog";
import type { InferenceConfig } from "../../config";
import { type ClientRateLimit, clientRateLimitFilter, clientVirtualClusters } from "./clientTraffic";

/** The API port (the Service's `http`), served by the proxy. */
export const PROXY_API_PORT = 8000;
/** The metrics port (`metrics`), served by the proxy to Prometheus only. */
export const PROXY_METRICS_PORT = 9464;
/** Where vLLM listens, on the pod's loopback only. */
export const VLLM_LOOPBACK_PORT = 8001;
/** Envoy's admin interface, on loopback only. */
export const PROXY_ADMIN_PORT = 9901;
/** Where the proxy's config is mounted (from the service's proxy Secret). */
export const PROXY_CONFIG_DIR = "/etc/aifactory-proxy";
/** File name of the bootstrap in that Secret. */
export const PROXY_CONFIG_FILE = "envoy.json";
/**
 * File name of the listeners (with the keys) in that Secret. Envoy watches
 * the directory and reloads them when the kubelet swaps the Secret's files,
 * so adding, rotating or revoking a key needs no restart of the pod (and no
 * reload of the model).
 */
export const PROXY_LISTENERS_FILE = "listeners.json";
/** Header the proxy sets to the calling client's name, for vLLM's request log. */
export const CLIENT_HEADER = "x-aifactory-client";
/** Paths the API port serves without a key: the kubelet's probes. */
export const UNAUTHENTICATED_PATHS: readonly string[] = ["/health"];
/** Path of Envoy's own statistics on the metrics port. */
export const PROXY_STATS_PATH = "/proxy-metrics";

/** One accepted key: the client it identifies, and the key itself (a secret). */
export interface ProxyCredential {
  readonly client: string;
  readonly key: string;
}

const socket = (address: string, port: number) => ({ socket_address: { address, port_value: port } });

function loopbackCluster(name: string, port: number) {
  return {
    name,
    type: "STATIC",
    connect_timeout: "5s",
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: socket("127.0.0.1", port) } }] }] },
  };
}

const disabled = { "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", disabled: true };
const notFound = { direct_response: { status: 404 } };

/** The filters a probe's route skips: the key check, and the rate limit when there is one. */
function probeSkips(rateLimited: boolean) {
  return rateLimited ? { [EnvoyFilters.apiKeyAuth]: disabled, [EnvoyFilters.localRateLimit]: disabled } : { [EnvoyFilters.apiKeyAuth]: disabled };
}

/**
 * The API listener's routes: `/health` without a key (nor rate limit), `/metrics` nowhere,
 * everything else to vLLM (streams have no timeout).
 */
export function apiRoutes(rateLimited = false) {
  return [
    ...UNAUTHENTICATED_PATHS.map((path) => ({ match: { path }, route: { cluster: "vllm" }, typed_per_filter_config: probeSkips(rateLimited) })),
    { match: { prefix: "/metrics" }, ...notFound },
    { match: { prefix: "/" }, route: { cluster: "vllm", timeout: "0s" } },
  ];
}

/** The metrics listener's routes: vLLM's `/metrics` and Envoy's statistics, nothing else. */
export function metricsRoutes() {
  return [
    { match: { path: "/metrics" }, route: { cluster: "vllm" } },
    { match: { path: PROXY_STATS_PATH }, route: { cluster: "admin", prefix_rewrite: "/stats/prometheus" } },
    { match: { prefix: "/" }, ...notFound },
  ];
}

/** Name of the virtual host of both listeners (the `envoy_virtual_host` of the per-client statistics). */
export const PROXY_VIRTUAL_HOST = "vllm";

function httpManager(name: string, routes: unknown[], filters: unknown[], virtualClusters: unknown[] = []) {
  const virtualHost = { name: PROXY_VIRTUAL_HOST, domains: ["*"], routes, ...(virtualClusters.length > 0 ? { virtual_clusters: virtualClusters } : {}) };
  return {
    name: EnvoyFilters.httpConnectionManager,
    typed_config: {
      "@type": EnvoyFilters.httpConnectionManagerType,
      stat_prefix: name,
      route_config: { name, virtual_hosts: [virtualHost] },
      http_filters: [...filters, { name: EnvoyFilters.router, typed_config: { "@type": EnvoyFilters.routerType } }],
    },
  };
}

/** The `api_key_auth` filter: keys from `Authorization: Bearer`, the client's name forwarded, the key not. */
export function apiKeyAuthFilter(credentials: readonly ProxyCredential[]) {
  return {
    name: EnvoyFilters.apiKeyAuth,
    typed_config: {
      "@type": EnvoyFilters.apiKeyAuthType,
      credentials: credentials.map((c) => ({ key: c.key, client: c.client })),
      key_sources: [{ header: "Authorization" }],
      forwarding: { header: CLIENT_HEADER, hide_credentials: true },
    },
  };
}

/**
 * The two listeners (API and metrics), as the discovery response Envoy reads
 * from a file: on the API port the key check, then each limited client's
 * rate limit (it reads the client's name the key check set), each client's
 * requests counted under its name.
 */
export function proxyListeners(credentials: readonly ProxyCredential[], rateLimits: readonly ClientRateLimit[] = []) {
  const type = "type.googleapis.com/envoy.config.listener.v3.Listener";
  const rateLimit = clientRateLimitFilter(CLIENT_HEADER, rateLimits);
  const apiFilters = rateLimit === undefined ? [apiKeyAuthFilter(credentials)] : [apiKeyAuthFilter(credentials), rateLimit];
  const virtualClusters = clientVirtualClusters(CLIENT_HEADER, credentials.map((c) => c.client));
  return {
    resources: [
      {
        "@type": type,
        name: "api",
        address: socket("0.0.0.0", PROXY_API_PORT),
        filter_chains: [{ filters: [httpManager("api", apiRoutes(rateLimit !== undefined), apiFilters, virtualClusters)] }],
      },
      {
        "@type": type,
        name: "metrics",
        address: socket("0.0.0.0", PROXY_METRICS_PORT),
        filter_chains: [{ filters: [httpManager("metrics", metricsRoutes(), [])] }],
      },
    ],
  };
}

/** Envoy's bootstrap: listeners from the watched file, vLLM and the admin interface on loopback. */
export function proxyBootstrap(node: { id: string; cluster: string }) {
  return {
    node,
    admin: { address: socket("127.0.0.1", PROXY_ADMIN_PORT) },
    dynamic_resources: {
      lds_config: {
        resource_api_version: "V3",
        path_config_source: { path: `${PROXY_CONFIG_DIR}/${PROXY_LISTENERS_FILE}`, watched_directory: { path: PROXY_CONFIG_DIR } },
      },
    },
    static_resources: { clusters: [loopbackCluster("vllm", VLLM_LOOPBACK_PORT), loopbackCluster("admin", PROXY_ADMIN_PORT)] },
  };
}

/** The proxy container: Envoy from the site's mirror, read-only, non-root, its config from the Secret. */
export function proxyContainer(image: string) {
  return {
    name: "auth-proxy",
    image,
    // No hot restart: one Envoy per pod, restarted by the kubelet; listeners reload from the watched file.
    args: ["-c", `${PROXY_CONFIG_DIR}/${PROXY_CONFIG_FILE}`, "--log-level", "warn", "--disable-hot-restart"],
    ports: [
      { name: "http", containerPort: PROXY_API_PORT, protocol: "TCP" },
      { name: "metrics", containerPort: PROXY_METRICS_PORT, protocol: "TCP" },
    ],
    resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } },
    volumeMounts: [{ name: "auth-proxy", mountPath: PROXY_CONFIG_DIR, readOnly: true }],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    },
  };
}

/** The proxy's image under the site's mirror, with its digest when configured. */
export function proxyImage(registry: string, proxy: { image: string; digest?: string | undefined }): string {
  return `${registry}/${proxy.image}${proxy.digest === undefined ? "" : `@${proxy.digest}`}`;
}

/** Object name of the Secret holding a service's proxy config. */
export function proxySecretName(service: Pick<InferenceConfig, "name">): string {
  return `${service.name}-auth-proxy`;
}
