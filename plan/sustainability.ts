/**
 * The report's "Sustainability" section: the site's EU data-centre
 * indicators with their definitions and inputs, the yearly figures, what the
 * site must report, and the series that measure energy per tenant.
 */
import { type EnergyReport, type Figure, type Indicator, Recorded } from "../components";
import { eedRecordSection, gpuIdleSection } from "./eedRecord";

function number(value: number, digits = 2): string {
  return value.toLocaleString("en-GB", { maximumFractionDigits: digits });
}

function indicatorRow(i: Indicator): string {
  const value = `**${number(i.value)}**${i.unit === "" ? "" : ` ${i.unit}`}`;
  const input = (f: Figure) => `${f.name}: ${number(f.value, 0)} ${f.unit} (${f.basis})`;
  return `| ${i.name} | ${value} | ${i.definition} | ${input(i.numerator)} | ${input(i.denominator)} | ${i.basis} |`;
}

function obligationLine(report: EnergyReport): string {
  const { obligation } = report;
  if (obligation.installedItKw === undefined) return "Installed IT power is not declared (`energy.installedItKw`), so whether the site must report under the EED is not known.";
  if (!obligation.mustReport) return `Installed IT power ${number(obligation.installedItKw)} kW: below the EED's 500 kW reporting threshold.`;
  const missing = obligation.missing.length === 0 ? "every figure of the indicators is metered" : `not metered: ${obligation.missing.map((m) => `\`${m}\``).join(", ")}`;
  const record = report.eedRecord.readyToFile ? "" : `; the rest of the database record is not complete yet (see below)`;
  return `Installed IT power ${number(obligation.installedItKw)} kW: the site must report yearly under the EED; ${missing}${record}.`;
}

/** The section's lines. */
export function sustainabilitySection(report: EnergyReport): string[] {
  const f = report.figures;
  const figures = [f.totalEnergy, f.itEnergy, f.heatReused, f.renewable, ...(f.water ? [f.water] : [])];
  return [
    "## Sustainability",
    "",
    `Indicators for **${report.reportingYear ?? "no reporting year declared"}**, ${report.framework}. ${obligationLine(report)}`,
    "",
    "| indicator | value | definition | numerator | denominator | basis |",
    "| --- | ---: | --- | --- | --- | --- |",
    ...report.indicators.map(indicatorRow),
    "",
    "| figure | value | unit | basis |",
    "| --- | ---: | --- | --- |",
    ...figures.map((x) => `| ${x.name} | ${number(x.value, 0)} | ${x.unit} | ${x.basis} |`),
    "",
    ...(report.heatReuseNote === undefined ? [] : [`Heat reuse: ${report.heatReuseNote}`, ""]),
    `Measured GPU energy per tenant (Prometheus, from the DCGM exporter): \`${Recorded.tenantEnergyHour}\` and \`${Recorded.tenantEnergyDay}\` (kWh by namespace), per pool \`${Recorded.poolEnergyHour}\` and \`${Recorded.poolEnergyDay}\`, site power \`${Recorded.siteItPower}\` and \`${Recorded.siteFacilityPower}\`.`,
    "",
    ...gpuIdleSection(report.gpuIdle),
    ...eedRecordSection(report.eedRecord, report.obligation),
  ];
}
