/**
 * Gateway API durations (GEP-2257: `10m`, `1h30m`, `500ms`) as seconds, so
 * config can refuse a timeout of zero and the Ingress fallback can write the
 * same timeout in its controller's unit.
 */
import { GATEWAY_DURATION } from "../catalog/gatewayApi";

const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** The duration in seconds, or undefined when it is not a Gateway API duration. */
export function durationSeconds(duration: string): number | undefined {
  if (!GATEWAY_DURATION.test(duration)) return undefined;
  let total = 0;
  for (const [, digits = "", unit = ""] of duration.matchAll(/(\d+)(ms|h|m|s)/g)) total += Number(digits) * (UNIT_SECONDS[unit] ?? 0);
  return total;
}
