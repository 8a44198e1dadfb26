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
  /** The year's GPU energy and its idle part, from `energy.metered.gpu`; absent when not declared. */
  readonly year: { readonly energyKwh: number; readonly idleEnergyKwh: number; readonly idleShare: number; readonly status: "metered" } | undefined;
}

/** The idle share: its series, and the year's figure where declared. */
export function gpuIdleShare(config: FactoryConfig): GpuIdleShare {
  const gpu = config.energy.metered?.gpu;
  return {
    pools: config.gpuPools.map((p) => p.name),
    series: {
      idleEnergyDay: Attribution.idleEnergyDay,
      poolEnergyDay: Attribution.poolEnergyDay,
      idleShareByPool: Attribution.idleShareDay,
      idleShareSite: Attribution.siteIdleShareDay,
    },
    year: gpu === undefined ? undefined : { energyKwh: gpu.energyKwh, idleEnergyKwh: gpu.idleEnergyKwh, idleShare: gpu.idleEnergyKwh / gpu.energyKwh, status: "metered" },
  };
}
