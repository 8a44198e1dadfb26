/**
 * Facts about vLLM's OpenAI-compatible server at the version the factory runs
 * by default (`vllm/vllm-openai:v0.11.0`), read from
 * `vllm/entrypoints/openai/api_server.py` and `vllm/v1/metrics/loggers.py`
 * (the stored copies bracket v0.11.0: a v0.9-era and a v0.11/v0.12-era file
 * agree on the `/v1`-only key check, the routes below and the metric names
 * and labels). The server binds where `--host` says (`127.0.0.1` keeps it on
 * the pod's loopback).
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
  "/v1/responses/{response_id}",
  "/v1/responses/{response_id}/cancel",
  "/get_tokenizer_info",
  "/scale_elastic_ep",
  "/is_scaling_elastic_ep",
  // Only with VLLM_ALLOW_RUNTIME_LORA_UPDATING.
  "/v1/load_lora_adapter",
  "/v1/unload_lora_adapter",
  // Only with VLLM_SERVER_DEV_MODE.
  "/server_info",
  "/reset_prefix_cache",
  "/sleep",
  "/wake_up",
  "/is_sleeping",
  "/collective_rpc",
];

/** Paths the factory serves without a key: the kubelet's health probe (through the proxy) and Prometheus' scrape (on its own port). */
export const VLLM_UNAUTHENTICATED_ROUTES: readonly string[] = ["/health", "/metrics"];

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

/**
 * Environment variables CPython's `getpass.getuser()` reads, in this order,
 * before it falls back to the passwd database (`Lib/getpass.py`, Python 3.12,
 * the interpreter of `vllm/vllm-openai:v0.11.0`). The image has no passwd entry
 * for an arbitrary uid, so without one of these set `getuser()` raises
 * (`KeyError: getpwuid(): uid not found`). PyTorch's Inductor calls it while
 * vLLM imports (`torch/_inductor/runtime/cache_dir_utils.py`,
 * `default_cache_dir()`, also called directly for its header directory, so
 * `TORCHINDUCTOR_CACHE_DIR` alone does not avoid it: vllm#44548, kserve#5666).
 */
export const GETPASS_USER_ENV = ["LOGNAME", "USER", "LNAME", "USERNAME"] as const;

/**
 * Where the software in `vllm/vllm-openai:v0.11.0` writes at start and while
 * it serves, by default under `HOME` (or the temp dir), each with the variable
 * that moves it and the sub-directory of the cache volume the factory gives
 * it (`""` is the volume itself). Read from: vLLM `vllm/envs.py`
 * (`VLLM_CACHE_ROOT` = `$XDG_CACHE_HOME/vllm`, else `~/.cache/vllm`;
 * `VLLM_CONFIG_ROOT` = `$XDG_CONFIG_HOME/vllm`, else `~/.config/vllm`; the
 * compile cache `torch_compile_cache` and assets live under the cache root);
 * PyTorch 2.8 `torch/_inductor/runtime/cache_dir_utils.py`
 * (`TORCHINDUCTOR_CACHE_DIR`, else `<tmp>/torchinductor_<user>`;
 * `TRITON_CACHE_DIR`, else under the Inductor cache) and `torch/hub.py`
 * (`TORCH_HOME`, else `$XDG_CACHE_HOME/torch`); Triton 3.4 `knobs.py`
 * (`TRITON_CACHE_DIR`, else `~/.triton/cache`); `huggingface_hub`
 * `constants.py` (`HF_HOME`, else `$XDG_CACHE_HOME/huggingface`); FlashInfer's
 * JIT (`FLASHINFER_WORKSPACE_BASE`, else `~/.cache/flashinfer`); the CUDA
 * driver's JIT cache (`CUDA_CACHE_PATH`, else `~/.nv/ComputeCache`).
 */
export const VLLM_CACHE_ENV: Readonly<Record<string, string>> = {
  HOME: "",
  XDG_CACHE_HOME: "",
  XDG_CONFIG_HOME: "config",
  VLLM_CACHE_ROOT: "vllm",
  VLLM_CONFIG_ROOT: "config/vllm",
  TORCHINDUCTOR_CACHE_DIR: "torchinductor",
  TRITON_CACHE_DIR: "triton",
  TORCH_HOME: "torch",
  HF_HOME: "huggingface",
  FLASHINFER_WORKSPACE_BASE: "",
  CUDA_CACHE_PATH: "nv/ComputeCache",
};

/**
 * Variables whose default is the temp dir (`tempfile.gettempdir()`, which
 * honours `TMPDIR`, else `/tmp`): vLLM's IPC sockets (`VLLM_RPC_BASE_PATH`)
 * and the Inductor/Triton defaults above. The factory mounts a writable
 * `/tmp` and sets `TMPDIR` to it.
 */
export const VLLM_TEMP_ENV = ["TMPDIR"] as const;

/**
 * The usage counters of vLLM's V1 engine (`PrometheusStatLogger`), as
 * Prometheus sees them (a counter gains `_total`). Every series carries
 * `model_name` (the served name) and `engine` (the engine index); requests
 * also carry `finished_reason` (`stop`, `length`, `abort`).
 */
export const VllmUsageMetrics = {
  promptTokens: "vllm:prompt_tokens_total",
  generationTokens: "vllm:generation_tokens_total",
  requestSuccess: "vllm:request_success_total",
} as const;
