/**
 * Per-client traffic in the key-checking proxy: each client's requests are
 * counted under its own name, and a client with `rateLimit` is held to its
 * requests per minute. Both key on the header `api_key_auth` sets to the
 * client's name once its key is checked (the caller's own value is replaced),
 * so neither can be claimed by a caller. Read at Envoy v1.39.0 (catalog
 * `envoy.ts`): virtual clusters are matched by the router on the request's
 * headers after the filters ran; the local rate limit filter's embedded
 * `rate_limits` (`request_headers` actions) make the descriptor, its
 * `descriptors` hold one token bucket each, and with
 * `always_consume_default_token_bucket: false` a request that matches a
 * client's descriptor spends only that client's bucket. Pure.
 */
import { EnvoyFilters } from "../../catalog";
import type { InferenceConfig } from "../../config";

/** The descriptor key the client's name is put under. */
export const CLIENT_DESCRIPTOR_KEY = "client";
/** Prefix of the rate limit filter's statistics (`<prefix>.http_local_rate_limit.{ok,rate_limited,...}`). */
export const RATE_LIMIT_STAT_PREFIX = "client_rate_limit";
/** How long a client's bucket takes to refill: requests are limited per minute. */
export const RATE_LIMIT_WINDOW = "60s";

/**
 * The default bucket, for requests of clients without a limit: a million a
 * second, which no vLLM replica approaches. It refills each second, and every
 * client's minute is a whole number of its refills (Envoy requires that).
 */
const UNLIMITED = { max_tokens: 1_000_000, tokens_per_fill: 1_000_000, fill_interval: "1s" } as const;

/** One client's request budget in the proxy. */
export interface ClientRateLimit {
  readonly client: string;
  readonly requestsPerMinute: number;
}

/** The rate limits of a service's clients that have one. */
export function clientRateLimits(service: Pick<InferenceConfig, "clients">): ClientRateLimit[] {
  return service.clients.flatMap((c) => (c.rateLimit === undefined ? [] : [{ client: c.name, requestsPerMinute: c.rateLimit.requestsPerMinute }]));
}

/**
 * `:path` of every request but the probes' (`/health`, with or without a
 * query): only those pass the proxy without a key, with whatever client
 * header the caller sent, so they are counted under no client.
 */
const NOT_A_PROBE = { name: ":path", string_match: { safe_regex: { regex: "/health([?#].*)?" } }, invert_match: true };

/** One virtual cluster per client that has a key: the client's requests, counted under its name. */
export function clientVirtualClusters(clientHeader: string, clients: readonly string[]) {
  return [...new Set(clients)].map((client) => ({
    name: client,
    headers: [{ name: clientHeader, string_match: { exact: client } }, NOT_A_PROBE],
  }));
}

const percent100 = (key: string) => ({ runtime_key: `${RATE_LIMIT_STAT_PREFIX}_${key}`, default_value: { numerator: 100, denominator: "HUNDRED" } });

/** The local rate limit filter, one bucket per limited client; none when no client is limited. */
export function clientRateLimitFilter(clientHeader: string, limits: readonly ClientRateLimit[]) {
  if (limits.length === 0) return undefined;
  return {
    name: EnvoyFilters.localRateLimit,
    typed_config: {
      "@type": EnvoyFilters.localRateLimitType,
      stat_prefix: RATE_LIMIT_STAT_PREFIX,
      token_bucket: UNLIMITED,
      // Envoy enables and enforces the filter for 0 % of requests unless told otherwise.
      filter_enabled: percent100("enabled"),
      filter_enforced: percent100("enforced"),
      always_consume_default_token_bucket: false,
      rate_limits: [{ actions: [{ request_headers: { header_name: clientHeader, descriptor_key: CLIENT_DESCRIPTOR_KEY } }] }],
      descriptors: limits.map((l) => ({
        entries: [{ key: CLIENT_DESCRIPTOR_KEY, value: l.client }],
        token_bucket: { max_tokens: l.requestsPerMinute, tokens_per_fill: l.requestsPerMinute, fill_interval: RATE_LIMIT_WINDOW },
      })),
    },
  };
}
