/**
 * site-power-budget (mandatory, stack): the GPU pools at a site, at full
 * load and the site's PUE, fit within its contracted renewable capacity; and
 * every site a resource is labelled with is declared.
 */
import { Annotations, Labels } from "./catalog";
import { stackPolicy } from "./lib/define";
import { type ResourceView, type Violation, annotationsOf, describe, labelsOf, stringMap } from "./lib/resource";
import { isSiteDeclaration } from "./renewablePowerSite";
import { Frameworks } from "./lib/compliance";

/** Config of site-power-budget. */
export interface PowerBudgetConfig {
  /** Share of the contracted capacity kept in reserve, in percent. */
  reservePercent: number;
}

/** Defaults: the whole contracted capacity may be planned. */
export const POWER_BUDGET_DEFAULTS: PowerBudgetConfig = { reservePercent: 0 };

interface Site {
  readonly urn: string;
  readonly capacityKw: number;
  readonly pue: number;
}

function declaredSites(resources: readonly ResourceView[], out: Violation[]): Map<string, Site> {
  const sites = new Map<string, Site>();
  for (const r of resources.filter(isSiteDeclaration)) {
    const data = stringMap(r.props["data"]);
    const name = data["name"] ?? labelsOf(r)[Labels.site] ?? "";
    const capacityKw = Number(data["capacityKw"]);
    const pue = Number(data["pue"]);
    if (!(capacityKw > 0) || !(pue >= 1)) {
      out.push({ urn: r.urn, message: `${describe(r)}: site ${JSON.stringify(name)} declares no valid data.capacityKw and data.pue` });
    }
    sites.set(name, { urn: r.urn, capacityKw, pue });
  }
  return sites;
}

/** Every violation in a stack. */
export function powerBudgetViolations(resources: readonly ResourceView[], config: PowerBudgetConfig): Violation[] {
  const out: Violation[] = [];
  const sites = declaredSites(resources, out);
  const itWatts = new Map<string, number>();
  for (const r of resources) {
    const site = labelsOf(r)[Labels.site];
    if (site !== undefined && !sites.has(site)) {
      out.push({ urn: r.urn, message: `${describe(r)}: metadata.labels["${Labels.site}"] = ${JSON.stringify(site)} names a site that is not declared` });
    }
    const estimate = annotationsOf(r)[Annotations.powerEstimateWatts];
    if (estimate === undefined || site === undefined) continue;
    const watts = Number(estimate);
    if (!Number.isFinite(watts) || watts < 0) {
      out.push({ urn: r.urn, message: `${describe(r)}: metadata.annotations["${Annotations.powerEstimateWatts}"] = ${JSON.stringify(estimate)} is not a number of watts` });
      continue;
    }
    itWatts.set(site, (itWatts.get(site) ?? 0) + watts);
  }
  for (const [name, site] of sites) {
    const facilityKw = ((itWatts.get(name) ?? 0) * site.pue) / 1000;
    const budgetKw = site.capacityKw * (1 - config.reservePercent / 100);
    if (facilityKw > budgetKw) {
      const it = (itWatts.get(name) ?? 0) / 1000;
      out.push({
        urn: site.urn,
        message: `site ${JSON.stringify(name)}: GPU pools draw ${it} kW IT x PUE ${site.pue} = ${facilityKw.toFixed(1)} kW at full load, over the ${budgetKw} kW of contracted renewable capacity`,
      });
    }
  }
  return out;
}


/** The policy. */
export const sitePowerBudget = stackPolicy({
  name: "site-power-budget",
  description: "GPU pools at full load, times PUE, must fit the site's contracted renewable capacity; every referenced site must be declared.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Contract more renewable capacity (`site.power.capacityKw`), shrink the GPU pools, or declare the site every labelled resource names.",
  framework: Frameworks.eed,
  configSchema: {
    properties: {
      reservePercent: {
        type: "number",
        minimum: 0,
        maximum: 100,
        default: POWER_BUDGET_DEFAULTS.reservePercent,
        description: "Share of contracted capacity to keep in reserve.",
      },
    },
  },
  defaults: POWER_BUDGET_DEFAULTS,
  violations: powerBudgetViolations,
});
