/**
 * The report's "Usage" section: for each inference service, who may call it
 * (its clients) and the recorded series that say what its tenant used
 * (tokens, requests) and the GPU energy per 1,000 generated tokens; per
 * client, its rate limit, its requests as the proxy counts them and its
 * tokens as estimated.
 */
import type { EnergyReport } from "../components";

/** The section's lines. */
export function usageSection(report: EnergyReport): string[] {
  if (report.usage.length === 0) return [];
  return [
    "## Usage",
    "",
    "Recorded hourly by the site's Prometheus from vLLM's token counters and the DCGM energy of each service's pods (rules `aifactory-usage`).",
    "",
    "| tenant | service | model | clients (own keys) | generated tokens, 1h | GPU Wh per 1,000 generated tokens |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.usage.map(
      (u) =>
        `| ${u.tenant} | ${u.service} | ${u.model} | ${u.clients.length === 0 ? "one service key" : u.clients.join(", ")} | \`${u.series.generatedTokens}\` | \`${u.series.gpuWhPer1kGeneratedTokens}\` |`,
    ),
    "",
    ...clientLines(report),
  ];
}

/** The per-client table, when any service names clients. */
function clientLines(report: EnergyReport): string[] {
  const rows = report.usage.flatMap((u) => u.clientUsage.map((c) => ({ u, c })));
  if (rows.length === 0) return [];
  return [
    "Per client: requests as each service's key-checking proxy counts them (Envoy's virtual cluster per client); tokens estimated as the service's tokens times the client's share of its successful requests (vLLM does not know the caller).",
    "",
    "| tenant | service | client | rate limit (requests/min per replica) | requests, 1h | generated tokens, 1h (estimate) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      ({ u, c }) =>
        `| ${u.tenant} | ${u.service} | ${c.client} | ${c.requestsPerMinute === undefined ? "none" : String(c.requestsPerMinute)} | \`${c.series.requests}\` | \`${c.series.generatedTokensEstimate}\` |`,
    ),
    "",
  ];
}
