/**
 * The report's account of the EU data-centre database record and of idle
 * GPU energy: what the site still lacks before it can file (missing fields,
 * and those only estimated from its design), every field with its status and
 * config key, and where the idle share of GPU energy is recorded.
 */
import type { EedField, EedRecord, EedValue, GpuIdleShare, ReportingObligation } from "../components";

function number(value: number): string {
  return value.toLocaleString("en-GB", { maximumFractionDigits: 2 });
}

/** A field's value as the report prints it. */
export function formatEedValue(value: EedValue, unit = ""): string {
  if (value === null) return "-";
  if (typeof value === "number") return unit === "year" ? String(value) : number(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.join(", ");
  return Object.entries(value as Readonly<Record<string, number>>).map(([k, v]) => `${k} ${number(v)}`).join(", ");
}

function label(f: EedField): string {
  return `${f.name}${f.symbol === undefined ? "" : ` (${f.symbol})`}`;
}

function keyList(record: EedRecord, keys: readonly string[]): string[] {
  return keys.map((key) => {
    const names = record.fields.filter((f) => f.configKey === key).map(label);
    return `- \`${key}\`: ${names.join("; ")}`;
  });
}

function readiness(record: EedRecord, obligation: ReportingObligation): string[] {
  if (record.readyToFile) return ["Every field is metered or declared: the record is ready to file.", ""];
  const heading = obligation.installedItKw !== undefined && !obligation.mustReport
    ? "**Still missing before the site can file** (below the 500 kW threshold it need not, but may):"
    : "**Still missing before the site can file:**";
  const out: string[] = [heading, ""];
  if (record.missing.length > 0) out.push(...keyList(record, record.missing), "");
  if (record.estimated.length > 0) out.push("Only estimated from the site's design (meter or declare them):", "", ...keyList(record, record.estimated), "");
  return out;
}

/** The record's lines in `report.md`. */
export function eedRecordSection(record: EedRecord, obligation: ReportingObligation): string[] {
  const done = record.fields.filter((f) => f.status === "metered" || f.status === "declared").length;
  return [
    "### EU data-centre database record",
    "",
    `${record.regulation}: ${done} of ${record.fields.length} fields metered or declared.`,
    "",
    ...readiness(record, obligation),
    "| part | field | value | unit | status | config key |",
    "| --- | --- | ---: | --- | --- | --- |",
    ...record.fields.map((f) => `| ${f.section.split(":")[0]} | ${label(f)} | ${formatEedValue(f.value, f.unit)} | ${f.unit} | ${f.status} | \`${f.configKey}\` |`),
    "",
  ];
}

/** The idle share's lines in `report.md`. */
export function gpuIdleSection(idle: GpuIdleShare): string[] {
  const year =
    idle.year === undefined
      ? `The year's figure is not declared: set \`energy.metered.gpu\` from \`${idle.yearQueries.energyKwh}\` (\`energyKwh\`) and \`${idle.yearQueries.idleEnergyKwh}\` (\`idleEnergyKwh\`).`
      : `In the reporting year: **${number(idle.year.idleShare * 100)} %** idle, ${number(idle.year.idleEnergyKwh)} of ${number(idle.year.energyKwh)} kWh of GPU energy (metered, \`energy.metered.gpu\`).`;
  const pools = idle.pools.length === 0 ? "no pools" : idle.pools.map((p) => `\`${p}\``).join(", ");
  return [
    "### Idle GPU energy",
    "",
    `GPU energy no tenant held is idle: recorded per pool (${pools}), charged to nobody; tenants plus idle is the pool. Share of the last day's GPU energy that was idle: \`${idle.series.idleShareByPool}\` per pool, \`${idle.series.idleShareSite}\` for the site; kWh in \`${idle.series.idleEnergyDay}\` of \`${idle.series.poolEnergyDay}\`. ${year}`,
    "",
  ];
}
