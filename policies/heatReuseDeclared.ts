/**
 * heat-reuse-declared (advisory): a site should say who takes its waste heat.
 */
import { resourcePolicy } from "./lib/define";
import { type ResourceView, describe, stringMap } from "./lib/resource";
import { isSiteDeclaration } from "./renewablePowerSite";
import { Frameworks } from "./lib/compliance";

/** Config of heat-reuse-declared. */
export interface HeatReuseConfig {
  minimumRecoveredFraction: number;
}

/** Defaults: any declared heat reuse is enough. */
export const HEAT_REUSE_DEFAULTS: HeatReuseConfig = { minimumRecoveredFraction: 0 };

/** Violations of one resource. */
export function heatReuseViolations(r: ResourceView, config: HeatReuseConfig): string[] {
  if (!isSiteDeclaration(r)) return [];
  const data = stringMap(r.props["data"]);
  const site = JSON.stringify(data["name"] ?? r.name);
  if ((data["heatReuseConsumer"] ?? "").trim() === "") {
    return [`${describe(r)}: data.heatReuseConsumer: site ${site} declares no consumer of its waste heat`];
  }
  const fraction = Number(data["heatRecoveredFraction"] ?? "0");
  if (fraction < config.minimumRecoveredFraction) {
    return [
      `${describe(r)}: data.heatRecoveredFraction = ${JSON.stringify(data["heatRecoveredFraction"])} is below ${config.minimumRecoveredFraction}`,
    ];
  }
  return [];
}


/** The policy. */
export const heatReuseDeclared = resourcePolicy({
  name: "heat-reuse-declared",
  description: "A site should declare who takes its waste heat (district heating or similar).",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps: "Declare who takes the site's waste heat (`site.heatReuse`).",
  framework: Frameworks.eed,
  configSchema: {
    properties: {
      minimumRecoveredFraction: {
        type: "number",
        minimum: 0,
        maximum: 1,
        default: HEAT_REUSE_DEFAULTS.minimumRecoveredFraction,
        description: "Smallest share of IT heat the declared consumer must take.",
      },
    },
  },
  defaults: HEAT_REUSE_DEFAULTS,
  violations: heatReuseViolations,
});
