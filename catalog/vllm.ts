/**
 * Facts about vLLM's OpenAI-compatible server at the version the factory runs
 * by default (`vllm/vllm-openai:v0.11.0`), read from
 * `vllm/entrypoints/openai/api_server.py` and `vllm/v1/metrics/loggers.py`.
 */

/**
 * The default server image, under the site's mirror, pinned by digest: the
 * multi-arch index digest of `vllm/vllm-openai:v0.11.0` on Docker Hub as
 * several public projects pin it (read offline; the mirror serves the same
 * digest, since a digest names the content).
 */
export const VLLM_IMAGE = "vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c";

/**
 * Whether the server checks the API key on a path: its authentication
 * middleware lets every request whose path does not start with `/v1` through
 * without a key.
 */
export function vllmRequiresApiKey(path: string): boolean {
  return path.startsWith("/v1");
}

/** The path prefix of the OpenAI API; the only prefix the factory exposes outside the cluster. */
export const OPENAI_API_PREFIX = "/v1";

/** HTTP routes the server answers at this version (generation, pooling and admin). */
export const VLLM_ROUTES: readonly string[] = [
  "/health",
  "/load",
  "/ping",
  "/version",
  "/metrics",
  "/tokenize",
  "/detokenize",
  "/invocations",
  "/pooling",
  "/classify",
  "/score",
  "/rerank",
  "/v2/rerank",
  "/v1/models",
  "/v1/chat/completions",
  "/v1/completions",
  "/v1/embeddings",
  "/v1/responses",
  "/v1/score",
  "/v1/rerank",
  "/v1/audio/transcriptions",
  "/v1/audio/translations",
];

/** Where the server exports Prometheus metrics, on its API port. */
export const VLLM_METRICS_PATH = "/metrics";

/** Gauges the server exports that make sense to scale replicas on (names as exported, with the colon). */
export const VLLM_SCALING_METRICS = [
  "vllm:num_requests_waiting",
  "vllm:num_requests_running",
  "vllm:kv_cache_usage_perc",
] as const;

/** One of the gauges above. */
export type VllmScalingMetric = (typeof VLLM_SCALING_METRICS)[number];
