/**
 * The site's whole record for the European database on data centres
 * (Delegated Regulation (EU) 2024/1364, Annexes I to III; the field list is
 * catalog `eedRecord.ts`): every field with its value, where the value comes
 * from (`metered`, `declared`, `estimated` from the site's design, or
 * `missing`) and the config key that provides it, so the report can say
 * what the site still lacks before it can file. Pure: built from validated
 * config and the yearly figures alone.
 */
import { EED_FIELDS, EED_RECORD_REGULATION, type EedFieldDefinition } from "../../catalog";
import type { FactoryConfig } from "../../config";
import type { SitePower } from "../gpuPool";
import type { EnergyFigures, Figure, Indicator } from "./indicators";

/** Where a field's value comes from. */
export type EedStatus = "metered" | "declared" | "estimated" | "missing";

/** A field's value: a number in the field's unit, a text, a list, or named numbers (set points). */
export type EedValue = number | string | readonly string[] | Readonly<Record<string, number>> | null;

/** One field of the record. */
export interface EedField extends EedFieldDefinition {
  readonly value: EedValue;
  readonly status: EedStatus;
  /** The config key that provides the value (or would), e.g. `energy.facility.totalFloorAreaM2`. */
  readonly configKey: string;
  readonly note?: string;
}

/** `energy-report.json` `eedRecord`. */
export interface EedRecord {
  readonly regulation: string;
  readonly fields: readonly EedField[];
  /** Config keys of fields nothing provides. */
  readonly missing: readonly string[];
  /** Config keys of fields only estimated from the site's design: to be metered or declared before filing. */
  readonly estimated: readonly string[];
  /** Every field metered or declared. */
  readonly readyToFile: boolean;
}

type Entry = Omit<EedField, keyof EedFieldDefinition>;

const E = "energy";
const F = `${E}.facility`;
const M = `${E}.metered`;

function entry(value: EedValue | undefined, status: Exclude<EedStatus, "missing">, configKey: string, note?: string): Entry {
  if (value === undefined) return { value: null, status: "missing", configKey };
  return note === undefined ? { value, status, configKey } : { value, status, configKey, note };
}

const declared = (value: EedValue | undefined, configKey: string) => entry(value, "declared", configKey);
const metered = (value: EedValue | undefined, configKey: string) => entry(value, "metered", configKey);

/** A yearly figure of `indicators.ts`: metered, or estimated from design. */
function fromFigure(figure: Figure, configKey: string): Entry {
  const status = figure.basis === "metered" ? "metered" : figure.basis === "declared" ? "declared" : "estimated";
  return entry(figure.value, status, configKey, status === "estimated" ? `design estimate (${figure.name}); meter it and set ${configKey}` : undefined);
}

function identity(config: FactoryConfig): Record<string, Entry> {
  const f = config.energy.facility ?? {};
  const name =
    f.name !== undefined ? declared(f.name, `${F}.name`) : config.site.displayName !== undefined ? declared(config.site.displayName, "site.displayName") : declared(config.site.name, "site.name");
  return {
    reportingYear: declared(config.energy.reportingYear, `${E}.reportingYear`),
    name,
    owner: declared(f.owner, `${F}.owner`),
    operators: declared(f.operators, `${F}.operators`),
    operatingSince: declared(f.operatingSince, `${F}.operatingSince`),
    municipality: declared(f.municipality, `${F}.municipality`),
    type: declared(f.type, `${F}.type`),
  };
}

function facility(config: FactoryConfig, power: SitePower): Record<string, Entry> {
  const f = config.energy.facility ?? {};
  const installed =
    config.energy.installedItKw !== undefined
      ? declared(config.energy.installedItKw, `${E}.installedItKw`)
      : entry(power.itKw > 0 ? power.itKw : undefined, "estimated", `${E}.installedItKw`, "the factory's GPU pools' catalogue IT draw at their largest: a lower bound, other IT in the computer room is not counted");
  const setPoints = f.temperatureSetPoints;
  return {
    installedItPower: installed,
    totalFloorArea: declared(f.totalFloorAreaM2, `${F}.totalFloorAreaM2`),
    computerRoomFloorArea: declared(f.computerRoomFloorAreaM2, `${F}.computerRoomFloorAreaM2`),
    gridFunctions: declared(f.gridFunctions, `${F}.gridFunctions`),
    backupGeneratorsPower: declared(f.backupGeneratorsKw, `${F}.backupGeneratorsKw`),
    temperatureSetPoints: declared(setPoints === undefined ? undefined : { ...setPoints }, `${F}.temperatureSetPoints`),
  };
}

function heatAndWater(config: FactoryConfig, figures: EnergyFigures): Record<string, Entry> {
  const m = config.energy.metered ?? {};
  const reused =
    m.heatReusedKwh === undefined && config.site.heatReuse === undefined
      ? entry(0, "declared", "site.heatReuse", "the site declares no consumer of its waste heat")
      : fromFigure(figures.heatReused, `${M}.heatReusedKwh`);
  const temperature =
    m.wasteHeatTemperatureC === undefined && config.site.heatReuse === undefined
      ? entry(null, "declared", "site.heatReuse", "no waste heat is reused")
      : metered(m.wasteHeatTemperatureC, `${M}.wasteHeatTemperatureC`);
  return {
    wasteHeatReused: reused,
    wasteHeatTemperature: temperature,
    waterInput: metered(m.waterInputM3, `${M}.waterInputM3`),
    potableWaterInput: metered(m.potableWaterInputM3, `${M}.potableWaterInputM3`),
  };
}

function energy(config: FactoryConfig, figures: EnergyFigures): Record<string, Entry> {
  const r = config.energy.metered?.renewable;
  const key = `${M}.renewable`;
  // With the renewable figures metered by instrument, an instrument not among them is none.
  const instrument = (value: number | undefined, name: string): Entry =>
    r === undefined ? metered(undefined, `${key}.${name}`) : value === undefined ? entry(0, "declared", `${key}.${name}`, `not among the metered instruments of ${key}`) : metered(value, `${key}.${name}`);
  const total =
    r !== undefined
      ? metered(figures.renewable.value, key)
      : entry(figures.renewable.value > 0 ? figures.renewable.value : undefined, "estimated", key, "all of the total energy, as the site declares renewable power backed by a Guarantee of Origin; meter it by instrument");
  return {
    totalEnergy: fromFigure(figures.totalEnergy, `${M}.totalEnergyKwh`),
    itEnergy: fromFigure(figures.itEnergy, `${M}.itEnergyKwh`),
    renewableEnergy: total,
    renewableGuaranteesOfOrigin: r === undefined ? { ...total, configKey: `${key}.guaranteesOfOriginKwh` } : instrument(r.guaranteesOfOriginKwh, "guaranteesOfOriginKwh"),
    renewablePowerPurchaseAgreements: instrument(r?.powerPurchaseAgreementsKwh, "powerPurchaseAgreementsKwh"),
    renewableOnSite: instrument(r?.onSiteKwh, "onSiteKwh"),
  };
}

function capacityAndTraffic(config: FactoryConfig): Record<string, Entry> {
  const ict = config.energy.ictCapacity ?? {};
  const bandwidth = config.energy.facility?.bandwidthGbps ?? {};
  const traffic = config.energy.metered?.dataTraffic ?? {};
  return {
    serverCapacity: declared(ict.servers, `${E}.ictCapacity.servers`),
    storageCapacity: declared(ict.storagePetabytes, `${E}.ictCapacity.storagePetabytes`),
    incomingBandwidth: declared(bandwidth.incoming, `${F}.bandwidthGbps.incoming`),
    outgoingBandwidth: declared(bandwidth.outgoing, `${F}.bandwidthGbps.outgoing`),
    incomingTraffic: metered(traffic.incomingTerabytes, `${M}.dataTraffic.incomingTerabytes`),
    outgoingTraffic: metered(traffic.outgoingTerabytes, `${M}.dataTraffic.outgoingTerabytes`),
  };
}

const INDICATOR_KEYS: Readonly<Record<Indicator["id"], string>> = {
  pue: `${M}.totalEnergyKwh, ${M}.itEnergyKwh`,
  wue: `${M}.waterInputM3, ${M}.itEnergyKwh`,
  erf: `${M}.heatReusedKwh, ${M}.totalEnergyKwh`,
  ref: `${M}.renewable, ${M}.totalEnergyKwh`,
};

function indicatorEntries(indicators: readonly Indicator[]): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (const id of Object.keys(INDICATOR_KEYS) as Indicator["id"][]) {
    const i = indicators.find((x) => x.id === id);
    out[id] = i === undefined ? metered(undefined, INDICATOR_KEYS[id]) : entry(i.value, i.basis === "metered" ? "metered" : "estimated", INDICATOR_KEYS[id], i.basis === "metered" ? undefined : `${i.basis}: ${i.definition}`);
  }
  return out;
}

/** The record: every field of Annexes I to III with its value, status and config key. */
export function eedRecord(config: FactoryConfig, power: SitePower, figures: EnergyFigures, indicators: readonly Indicator[]): EedRecord {
  const entries: Record<string, Entry> = {
    ...identity(config),
    ...facility(config, power),
    ...energy(config, figures),
    ...heatAndWater(config, figures),
    ...capacityAndTraffic(config),
    ...indicatorEntries(indicators),
  };
  const fields = EED_FIELDS.map((def): EedField => {
    const e = entries[def.id];
    if (e === undefined) throw new Error(`EED record: no value for field ${def.id}`);
    return { ...def, ...e };
  });
  const keysWith = (status: EedStatus) => [...new Set(fields.filter((f) => f.status === status && f.section !== "Annex III: sustainability indicators").map((f) => f.configKey))];
  const missing = keysWith("missing");
  const estimated = keysWith("estimated");
  return { regulation: EED_RECORD_REGULATION, fields, missing, estimated, readyToFile: missing.length === 0 && estimated.length === 0 };
}
