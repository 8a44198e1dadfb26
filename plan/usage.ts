/**
 * The report's "Usage" section: for each inference service, who may call it
 * (its clients) and the recorded series that say what its tenant used
 * (tokens, requests) and the GPU energy per 1,000 generated tokens.
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
  ];
}
