/**
 * The EU data-centre indicators, as EN 50600-4 defines them and Commission
 * Delegated Regulation (EU) 2024/1364 asks sites to report them (Energy
 * Efficiency Directive (EU) 2023/1791, Article 12): each a ratio of yearly
 * energies, from metered figures where the operator has them and from the
 * site's design figures otherwise, and each says which.
 */
import { EED_REPORTING_THRESHOLD_KW, REQUIRED_METERED_FIGURES, isRenewableSource } from "../../catalog";
import type { EnergyConfig, SiteConfig } from "../../config";
import type { SitePower } from "../gpuPool";

/** Hours in a reporting year. */
export const HOURS_PER_YEAR = 8760;


/** Where a figure comes from. */
export type Basis = "metered" | "declared" | "design estimate";

/** One input of an indicator. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly basis: Basis;
}

/** One indicator: its value, what it means, and what it was computed from. */
export interface Indicator {
  readonly id: "pue" | "wue" | "erf" | "ref";
  readonly name: string;
  readonly definition: string;
  readonly value: number;
  readonly unit: string;
  readonly numerator: Figure;
  readonly denominator: Figure;
  /** `metered` when both inputs are, `design estimate` when neither is, else `partly metered`. */
  readonly basis: "metered" | "design estimate" | "partly metered";
}

/** The site's yearly energy figures: metered where declared, else estimated from design. */
export interface EnergyFigures {
  readonly itEnergy: Figure;
  readonly totalEnergy: Figure;
  readonly heatReused: Figure;
  readonly renewable: Figure;
  readonly water: Figure | undefined;
}

/**
 * The yearly figures. Without meters: IT energy is the GPU pools' IT draw at
 * full load for a year (an upper bound), or the metered total over the design
 * PUE when only the total is metered; total energy is IT energy times the
 * design PUE; reused heat the declared recovered share of IT energy, and renewable
 * energy the total when the site's source is renewable and backed by
 * Guarantees of Origin (otherwise none).
 */
export function energyFigures(site: SiteConfig, power: SitePower, energy: EnergyConfig): EnergyFigures {
  const m = energy.metered ?? {};
  const estimatedIt = m.totalEnergyKwh !== undefined ? m.totalEnergyKwh / site.power.pue : power.itKw * HOURS_PER_YEAR;
  const itEnergy: Figure =
    m.itEnergyKwh !== undefined
      ? { name: "IT energy", value: m.itEnergyKwh, unit: "kWh", basis: "metered" }
      : { name: "IT energy", value: estimatedIt, unit: "kWh", basis: "design estimate" };
  const totalEnergy: Figure =
    m.totalEnergyKwh !== undefined
      ? { name: "total data-centre energy", value: m.totalEnergyKwh, unit: "kWh", basis: "metered" }
      : { name: "total data-centre energy", value: itEnergy.value * site.power.pue, unit: "kWh", basis: "design estimate" };
  const heatReused: Figure =
    m.heatReusedKwh !== undefined
      ? { name: "energy reused outside the data centre", value: m.heatReusedKwh, unit: "kWh", basis: "metered" }
      : { name: "energy reused outside the data centre", value: (site.heatReuse?.recoveredFraction ?? 0) * itEnergy.value, unit: "kWh", basis: "design estimate" };
  const r = m.renewable;
  const renewable: Figure =
    r !== undefined
      ? { name: "renewable energy", value: (r.guaranteesOfOriginKwh ?? 0) + (r.powerPurchaseAgreementsKwh ?? 0) + (r.onSiteKwh ?? 0), unit: "kWh", basis: "metered" }
      : {
          name: "renewable energy",
          value: isRenewableSource(site.power.source) && site.power.guaranteeOfOrigin !== undefined ? totalEnergy.value : 0,
          unit: "kWh",
          basis: "declared",
        };
  const water: Figure | undefined =
    m.waterInputM3 === undefined ? undefined : { name: "water input", value: m.waterInputM3 * 1000, unit: "L", basis: "metered" };
  return { itEnergy, totalEnergy, heatReused, renewable, water };
}

function basisOf(a: Figure, b: Figure): Indicator["basis"] {
  const metered = [a, b].filter((f) => f.basis === "metered").length;
  return metered === 2 ? "metered" : metered === 0 ? "design estimate" : "partly metered";
}

function ratio(
  id: Indicator["id"],
  name: string,
  definition: string,
  unit: string,
  numerator: Figure,
  denominator: Figure,
): Indicator {
  const value = denominator.value > 0 ? numerator.value / denominator.value : 0;
  return { id, name, definition, value, unit, numerator, denominator, basis: basisOf(numerator, denominator) };
}

/**
 * PUE, ERF, REF, and WUE where water is metered. When PUE is not metered the
 * site's declared design PUE stands (the estimated total is IT energy times
 * it, so the ratio is that figure).
 */
export function siteIndicators(figures: EnergyFigures): Indicator[] {
  const { itEnergy, totalEnergy, heatReused, renewable, water } = figures;
  const out = [
    ratio("pue", "Power usage effectiveness (PUE)", "total data-centre energy / IT equipment energy", "", totalEnergy, itEnergy),
    ratio("erf", "Energy reuse factor (ERF)", "energy reused outside the data centre / total data-centre energy", "", heatReused, totalEnergy),
    ratio("ref", "Renewable energy factor (REF)", "renewable energy / total data-centre energy", "", renewable, totalEnergy),
  ];
  if (water) out.push(ratio("wue", "Water usage effectiveness (WUE)", "water input / IT equipment energy", "L/kWh", water, itEnergy));
  return out;
}

/** What the site must report under the EED, and whether it declares the metered figures for it. */
export interface ReportingObligation {
  readonly installedItKw: number | undefined;
  readonly mustReport: boolean;
  readonly meteredFigures: readonly string[];
  readonly missing: readonly string[];
}


/** Whether the site must report, and which metered figures it has not declared. */
export function reportingObligation(energy: EnergyConfig): ReportingObligation {
  const metered = energy.metered ?? {};
  const present = REQUIRED_METERED_FIGURES.filter((k) => metered[k] !== undefined);
  const installed = energy.installedItKw;
  return {
    installedItKw: installed,
    mustReport: installed !== undefined && installed >= EED_REPORTING_THRESHOLD_KW,
    meteredFigures: present,
    missing: REQUIRED_METERED_FIGURES.filter((k) => metered[k] === undefined),
  };
}
