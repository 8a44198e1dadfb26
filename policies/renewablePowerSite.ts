/**
 * renewable-power-site (mandatory): a site declaration, or any resource
 * labelled with a site, must state a renewable power source, and a renewable
 * claim must name the Guarantee of Origin that backs it.
 */
import { Labels, RENEWABLE_POWER_SOURCES, isRenewableSource } from "./catalog";
import { stringList } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { type ResourceView, describe, kindOf, labelsOf, metadataOf, stringMap } from "./lib/resource";
import { Frameworks } from "./lib/compliance";

/** Config of renewable-power-site. */
export interface RenewablePowerConfig {
  renewableSources: string[];
}

/** Defaults: the renewable sources of the power catalogue. */
export const RENEWABLE_POWER_DEFAULTS: RenewablePowerConfig = { renewableSources: [...RENEWABLE_POWER_SOURCES] };

/** Whether a resource is a site declaration (the site record ConfigMap). */
export function isSiteDeclaration(r: ResourceView): boolean {
  return kindOf(r) === "ConfigMap" && labelsOf(r)[Labels.siteDeclaration] === "true";
}

function powerProblems(source: string | undefined, go: string | undefined, config: RenewablePowerConfig): string[] {
  if (source === undefined || source.trim() === "") return ["declares no power source"];
  if (!isRenewableSource(source, config.renewableSources)) {
    return [`power source ${JSON.stringify(source)} is not renewable (allowed: ${config.renewableSources.join(", ")})`];
  }
  if (go === undefined || go.trim() === "") return [`claims renewable ${source} power without a guarantee-of-origin id`];
  return [];
}

/** Violations of one resource. */
export function renewableViolations(r: ResourceView, config: RenewablePowerConfig): string[] {
  if (isSiteDeclaration(r)) {
    const data = stringMap(r.props["data"]);
    return powerProblems(data["powerSource"], data["guaranteeOfOrigin"], config).map(
      (p) => `${describe(r)}: site declaration ${JSON.stringify(data["name"] ?? metadataOf(r)["name"])} ${p}`,
    );
  }
  const labels = labelsOf(r);
  const site = labels[Labels.site];
  if (site === undefined) return [];
  const problems = powerProblems(labels[Labels.powerSource], labels[Labels.guaranteeOfOrigin], config);
  if (labels[Labels.renewable] === "true" && problems.length === 0) return [];
  if (labels[Labels.renewable] !== "true" && problems.length === 0) {
    problems.push(`is labelled ${Labels.renewable}=${JSON.stringify(labels[Labels.renewable] ?? "")}, not "true"`);
  }
  return problems.map((p) => `${describe(r)}: metadata.labels (site ${JSON.stringify(site)}) ${p}`);
}


/** The policy. */
export const renewablePowerSite = resourcePolicy({
  name: "renewable-power-site",
  description: "No site may run without renewable power backed by a guarantee of origin.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Declare the site's renewable power source and the id of the Guarantees of Origin cancelled for it (`site.power.source`, `site.power.guaranteeOfOrigin`).",
  framework: Frameworks.eed,
  configSchema: {
    properties: {
      renewableSources: stringList("Power sources that count as renewable.", RENEWABLE_POWER_DEFAULTS.renewableSources),
    },
  },
  defaults: RENEWABLE_POWER_DEFAULTS,
  violations: renewableViolations,
});
