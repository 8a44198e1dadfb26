/**
 * The idle share of the site's GPU energy: what no tenant held, which the
 * attribution rules record per pool and charge to nobody. The plan cannot
 * measure it; it names the series to read it from, and gives the year's
 * share when the operator declares the year's totals from those series.
 */
import type { FactoryConfig } from "../../config";
import { Attribution } from "./attribution";

/** `energy-report.json` `gpuIdle`. */
export interface GpuIdleShare {
  /** The pools whose energy the rules attribute. */
  readonly pools: readonly string[];
  /** Recorded series: idle and pool kWh per day, and the idle share per pool and for the site (0 to 1). */
  readonly series: {
    readonly idleEnergyDay: string;
    readonly poolEnergyDay: string;
    readonly idleShareByPool: string;
    readonly idleShareSite: string;
  };
  /** PromQL for the reporting year's GPU and idle energy, kWh (`@` the midnight that ends it): what `energy.metered.gpu` takes. */
  readonly yearQueries: { readonly energyKwh: string; readonly idleEnergyKwh: string };
  /** The year's GPU energy and its idle part, from `energy.metered.gpu`; absent when not declared. */
  readonly year: { readonly energyKwh: number; readonly idleEnergyKwh: number; readonly idleShare: number; readonly status: "metered" } | undefined;
}

/**
 * kWh over the `days` days up to the evaluation time, a UTC midnight: a day
 * series sampled once a day, at each midnight (subquery steps align to whole
 * days since the epoch), each sample the day before it. The range stops 30 s
 * short of `days` days so that it holds `days` samples whether Prometheus
 * closes a range at its start (2.x) or not (3.x).
 */
export function periodEnergyQuery(daySeries: string, days: number, atUnixSeconds?: number): string {
  const at = atUnixSeconds === undefined ? "" : ` @ ${atUnixSeconds}`;
  return `sum(sum_over_time(${daySeries}[${days - 1}d23h59m30s:1d]${at}))`;
}

/** A calendar year's days, and the UTC midnight that ends it (seconds since the epoch). */
export function calendarYear(year: number): { days: number; end: number } {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  return { days: Math.round((end - start) / 86_400_000), end: end / 1000 };
}

/** The idle share: its series, and the year's figure where declared. */
export function gpuIdleShare(config: FactoryConfig): GpuIdleShare {
  const gpu = config.energy.metered?.gpu;
  // Without a reporting year, the query is for the 365 days before the time it is evaluated at.
  const year = config.energy.reportingYear === undefined ? { days: 365, end: undefined } : calendarYear(config.energy.reportingYear);
  return {
    pools: config.gpuPools.map((p) => p.name),
    series: {
      idleEnergyDay: Attribution.idleEnergyDay,
      poolEnergyDay: Attribution.poolEnergyDay,
      idleShareByPool: Attribution.idleShareDay,
      idleShareSite: Attribution.siteIdleShareDay,
    },
    yearQueries: { energyKwh: periodEnergyQuery(Attribution.poolEnergyDay, year.days, year.end), idleEnergyKwh: periodEnergyQuery(Attribution.idleEnergyDay, year.days, year.end) },
    year: gpu === undefined ? undefined : { energyKwh: gpu.energyKwh, idleEnergyKwh: gpu.idleEnergyKwh, idleShare: gpu.idleEnergyKwh / gpu.energyKwh, status: "metered" },
  };
}
