/**
 * `out/<stack>/sovereignty.json` and the report's "Where everything lives":
 * every endpoint the site depends on (config/endpoints.ts), with its host,
 * what uses it and its verdict, and the counts the plan is held to (zero
 * foreign, zero unknown).
 */
import { type FactoryConfig, type SiteEndpoint, type Verdict, allowedDomains, siteEndpoints } from "../config";

/** The document written to `sovereignty.json`. */
export interface SovereigntyRecord {
  readonly version: 1;
  readonly stack: string;
  readonly site: string;
  /** The domains endpoints are judged against (besides the site's own cluster). */
  readonly allowedDomains: readonly string[];
  readonly counts: Readonly<Record<Verdict, number>>;
  readonly endpoints: readonly SiteEndpoint[];
}

/** The record of one site. */
export function sovereigntyRecord(stack: string, config: FactoryConfig): SovereigntyRecord {
  const endpoints = siteEndpoints(config);
  const count = (v: Verdict) => endpoints.filter((e) => e.verdict === v).length;
  return {
    version: 1,
    stack,
    site: config.site.name,
    allowedDomains: allowedDomains(config),
    counts: { "in-country": count("in-country"), foreign: count("foreign"), unknown: count("unknown") },
    endpoints,
  };
}

const cell = (s: string) => s.replaceAll("|", "\\|");

/** The report section "Where everything lives". */
export function sovereigntySection(record: SovereigntyRecord): string[] {
  const { counts } = record;
  return [
    "## Where everything lives",
    "",
    `${counts["in-country"]} in-country, ${counts.foreign} foreign, ${counts.unknown} unknown (allowed: the site's cluster and ${record.allowedDomains.join(", ")}); also in \`sovereignty.json\`.`,
    "",
    "| Endpoint | Host | Used by | Config key | Verdict |",
    "| --- | --- | --- | --- | --- |",
    ...record.endpoints.map((e) => `| ${cell(e.kind)} | \`${cell(e.host)}\` | ${cell(e.usedBy)} | \`${e.key}\` | ${e.verdict} |`),
    "",
  ];
}
