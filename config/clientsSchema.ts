/**
 * Parts of `inference[].clients` in a file of their own: `rateLimit` (how
 * many requests a client may send a service per minute, enforced by the
 * key-checking proxy in each pod, `components/inference/clientTraffic.ts`)
 * and the checks on client names.
 */
import { z } from "zod";
import { ENVOY_CATCH_ALL_VIRTUAL_CLUSTER } from "../catalog";

/** Envoy's token bucket holds a uint32 of tokens. */
const MAX_TOKENS = 4_294_967_295;

/** A client's request budget. */
export const clientRateLimitSchema = z.strictObject({
  /**
   * Requests per minute, in each replica's proxy: a bucket of this many
   * requests, refilled at this many a minute. With `r` replicas behind the
   * Service the client may get up to `r` times this.
   */
  requestsPerMinute: z.number().int().positive().max(MAX_TOKENS),
});

/** Client names the proxy's statistics reserve: Envoy's virtual cluster for requests that match no client. */
export const RESERVED_CLIENT_NAMES: readonly string[] = [ENVOY_CATCH_ALL_VIRTUAL_CLUSTER];

/** Each client's name once per service, and none the proxy reserves. */
export function checkClientNames(clients: readonly { readonly name: string }[], ctx: z.RefinementCtx): void {
  clients.forEach((c, i) => {
    if (RESERVED_CLIENT_NAMES.includes(c.name)) {
      ctx.addIssue({ code: "custom", path: [i, "name"], message: `'${c.name}' is reserved (the proxy counts requests of no client under it); choose another name` });
    }
    if (clients.findIndex((o) => o.name === c.name) < i) {
      ctx.addIssue({ code: "custom", path: [i, "name"], message: `'${c.name}' is already a client of this service; each client needs its own name` });
    }
  });
}
