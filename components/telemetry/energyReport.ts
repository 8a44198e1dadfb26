/**
 * The yearly energy report of a site, as an operator files it: the four
 * indicators with their definitions and inputs, the figures in one table, and
 * what the site must report. Pure: built from validated config alone.
 */
import type { FactoryConfig } from "../../config";
import { type ServiceUsage, serviceUsage } from "./usageRules";
import { sitePower } from "../gpuPool";
import { type EnergyFigures, type Indicator, type ReportingObligation, energyFigures, reportingObligation, siteIndicators } from "./indicators";
import { type EedRecord, eedRecord } from "./eedRecord";
import { type GpuIdleShare, gpuIdleShare } from "./idleShare";

/** `out/<stack>/energy-report.json`. */
export interface EnergyReport {
  readonly site: string;
  readonly region: string;
  readonly reportingYear: number | undefined;
  readonly framework: string;
  readonly obligation: ReportingObligation;
  readonly indicators: readonly Indicator[];
  readonly figures: EnergyFigures;
  /** The declared heat-reuse share is of IT energy; ERF's denominator is total energy. */
  readonly heatReuseNote: string | undefined;
  /** Token usage and GPU energy per 1,000 generated tokens, per tenant and service: the recorded series to read them from. */
  readonly usage: readonly ServiceUsage[];
  /** Every field of the EU data-centre database record, with its status and config key. */
  readonly eedRecord: EedRecord;
  /** The idle share of GPU energy: its series, and the year's figure where declared. */
  readonly gpuIdle: GpuIdleShare;
}

/** The site's energy report. */
export function energyReport(config: FactoryConfig): EnergyReport {
  const power = sitePower(config.site, config.gpuPools);
  const figures = energyFigures(config.site, power, config.energy);
  const heat = config.site.heatReuse;
  const indicators = siteIndicators(figures);
  return {
    site: config.site.name,
    region: config.site.region,
    reportingYear: config.energy.reportingYear,
    framework: "EN 50600-4 indicators as Commission Delegated Regulation (EU) 2024/1364 asks them (EU Energy Efficiency Directive (EU) 2023/1791, Article 12)",
    obligation: reportingObligation(config.energy),
    indicators,
    figures,
    heatReuseNote:
      heat === undefined
        ? undefined
        : `site.heatReuse.recoveredFraction (${heat.recoveredFraction}) is a share of IT energy; ERF divides reused energy by total data-centre energy, so without a heat meter it is ${heat.recoveredFraction} / PUE ${config.site.power.pue} = ${(heat.recoveredFraction / config.site.power.pue).toFixed(2)}.`,
    usage: serviceUsage(config.inference),
    eedRecord: eedRecord(config, power, figures, indicators),
    gpuIdle: gpuIdleShare(config),
  };
}
