/**
 * energy-reporting (advisory): a site of 500 kW installed IT power or more
 * must report yearly energy indicators under the EU Energy Efficiency
 * Directive from its own meters; the finding says which metered figures its
 * declaration lacks.
 */
import { EED_REPORTING_THRESHOLD_KW, Labels, REQUIRED_METERED_FIGURES } from "./catalog";
import { resourcePolicy } from "./lib/define";
import { Frameworks } from "./lib/compliance";
import { type ResourceView, describe, kindOf, labelsOf, stringMap } from "./lib/resource";

/** What each metered figure is for. */
const FIGURE_USES: Readonly<Record<(typeof REQUIRED_METERED_FIGURES)[number], string>> = {
  totalEnergyKwh: "total energy (PUE, ERF, REF)",
  itEnergyKwh: "IT energy (PUE, WUE)",
  waterInputM3: "water input (WUE)",
  heatReusedKwh: "heat reused outside the site (ERF)",
  renewable: "renewable energy by instrument (REF)",
};

/** The finding for one site declaration, if any. */
export function energyReportingViolations(r: ResourceView): string[] {
  if (kindOf(r) !== "ConfigMap" || labelsOf(r)[Labels.siteDeclaration] !== "true") return [];
  const data = stringMap(r.props["data"]);
  const installed = Number(data["installedItKw"] ?? "");
  if (!Number.isFinite(installed) || installed < EED_REPORTING_THRESHOLD_KW || (data["installedItKw"] ?? "") === "") return [];
  const metered = new Set((data["meteredFigures"] ?? "").split(",").filter((f) => f !== ""));
  const missing = REQUIRED_METERED_FIGURES.filter((f) => !metered.has(f));
  if (missing.length === 0) return [];
  const list = missing.map((f) => `${FIGURE_USES[f]} (energy.metered.${f})`).join(", ");
  return [
    `${describe(r)}: site "${data["name"] ?? ""}" has ${installed} kW installed IT power (${EED_REPORTING_THRESHOLD_KW} kW or more), so it must report yearly metered energy indicators under the EU Energy Efficiency Directive; not declared: ${list}`,
  ];
}

/** The policy. */
export const energyReporting = resourcePolicy({
  name: "energy-reporting",
  description: "Sites of 500 kW installed IT power or more declare the metered figures the EU Energy Efficiency Directive asks them to report.",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps: "Declare the reporting year's metered figures under `energy.metered` (total and IT energy, water input, heat reused, renewable energy by instrument) and `energy.reportingYear`.",
  framework: Frameworks.eed,
  configSchema: { properties: {} },
  defaults: {},
  violations: energyReportingViolations,
});
