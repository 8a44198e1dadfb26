/**
 * What a data centre reports each year to the European database on data
 * centres: Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024
 * (OJ L, 17.5.2024), under Article 12 and Annex VII of the Energy Efficiency
 * Directive (EU) 2023/1791. Annex I is the information about the data centre,
 * Annex II the key performance indicators to monitor and measure (energy and
 * sustainability, ICT capacity, data traffic), Annex III the sustainability
 * indicators computed from them (PUE, WUE, ERF, REF, after EN 50600-4).
 *
 * Written in our own words from the regulation as published 17.5.2024 and
 * the summaries of its annexes read alongside it (EXIGENCE project, "Data
 * Centres in Europe - Reporting Scheme"; the Directive's Annex VII points (a)
 * to (c) as Italy's DL 131/2024 Art. 16 restates them). Symbols are the
 * regulation's where it gives one. Units are the ones this record uses.
 */

/** The regulation this list follows. */
export const EED_RECORD_REGULATION = "Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024, Annexes I to III";

/** Which part of the regulation asks for a field. */
export type EedSection =
  | "Annex I: information about the data centre"
  | "Annex II(1): energy and sustainability"
  | "Annex II(2): ICT capacity"
  | "Annex II(3): data traffic"
  | "Annex III: sustainability indicators";

/** One field of the yearly record. */
export interface EedFieldDefinition {
  /** Stable id in `energy-report.json`. */
  readonly id: string;
  readonly section: EedSection;
  /** The regulation's symbol, where it gives one. */
  readonly symbol?: string;
  readonly name: string;
  /** Unit of the value; `text` or `date` for declarations that are not numbers. */
  readonly unit: string;
  /** A yearly quantity the regulation asks to be measured, so a design estimate does not do for filing. */
  readonly measured: boolean;
}

const I = "Annex I: information about the data centre" as const;
const II1 = "Annex II(1): energy and sustainability" as const;
const II2 = "Annex II(2): ICT capacity" as const;
const II3 = "Annex II(3): data traffic" as const;
const III = "Annex III: sustainability indicators" as const;

/** Every field of the record, in the regulation's order. */
export const EED_FIELDS: readonly EedFieldDefinition[] = [
  { id: "reportingYear", section: I, name: "calendar year the figures cover", unit: "year", measured: false },
  { id: "name", section: I, name: "name of the data centre", unit: "text", measured: false },
  { id: "owner", section: I, name: "owner of the data centre", unit: "text", measured: false },
  { id: "operators", section: I, name: "operators of the data centre", unit: "text", measured: false },
  { id: "operatingSince", section: I, name: "date the data centre started operating", unit: "date", measured: false },
  { id: "municipality", section: I, name: "municipality the data centre is in", unit: "text", measured: false },
  { id: "type", section: I, name: "type of data centre (enterprise, colocation or co-hosting)", unit: "text", measured: false },

  { id: "installedItPower", section: II1, symbol: "PDIT", name: "installed IT power demand (nominal demand of servers, storage and network in the computer room)", unit: "kW", measured: false },
  { id: "totalFloorArea", section: II1, symbol: "SDC", name: "total floor area of the data centre", unit: "m2", measured: false },
  { id: "computerRoomFloorArea", section: II1, symbol: "SCR", name: "computer room floor area", unit: "m2", measured: false },
  { id: "totalEnergy", section: II1, symbol: "EDC", name: "total energy consumption of the data centre (electricity, fuels and other energy for cooling)", unit: "kWh", measured: true },
  { id: "itEnergy", section: II1, symbol: "EIT", name: "energy consumption of the IT equipment (at the UPS outputs, or PDUs where there is no UPS)", unit: "kWh", measured: true },
  { id: "gridFunctions", section: II1, name: "electrical grid functions the data centre offers (e.g. demand response)", unit: "text", measured: false },
  { id: "backupGeneratorsPower", section: II1, name: "rated power of the back-up generators", unit: "kW", measured: false },
  { id: "wasteHeatReused", section: II1, symbol: "EREUSE", name: "waste heat reused outside the data centre", unit: "kWh", measured: true },
  { id: "wasteHeatTemperature", section: II1, name: "average temperature of the waste heat", unit: "°C", measured: true },
  { id: "temperatureSetPoints", section: II1, name: "temperature set points of the computer room (IT inlet air, liquid coolant supply)", unit: "°C", measured: false },
  { id: "waterInput", section: II1, symbol: "WIN", name: "total water input", unit: "m3", measured: true },
  { id: "potableWaterInput", section: II1, name: "potable water input", unit: "m3", measured: true },
  { id: "renewableEnergy", section: II1, symbol: "ERES-TOT", name: "renewable energy consumption", unit: "kWh", measured: true },
  { id: "renewableGuaranteesOfOrigin", section: II1, name: "renewable energy backed by cancelled Guarantees of Origin", unit: "kWh", measured: true },
  { id: "renewablePowerPurchaseAgreements", section: II1, name: "renewable energy under power purchase agreements", unit: "kWh", measured: true },
  { id: "renewableOnSite", section: II1, name: "renewable energy generated on site", unit: "kWh", measured: true },

  { id: "serverCapacity", section: II2, symbol: "CSERV", name: "ICT capacity of the servers (from their SERT figures, Ecodesign Regulation (EU) 2019/424)", unit: "SERT capacity", measured: false },
  { id: "storageCapacity", section: II2, symbol: "CSTOR", name: "ICT capacity of the storage equipment", unit: "PB", measured: false },

  { id: "incomingBandwidth", section: II3, symbol: "BIN", name: "incoming traffic bandwidth", unit: "Gbit/s", measured: false },
  { id: "outgoingBandwidth", section: II3, symbol: "BOUT", name: "outgoing traffic bandwidth", unit: "Gbit/s", measured: false },
  { id: "incomingTraffic", section: II3, symbol: "TIN", name: "incoming data traffic in the year", unit: "TB", measured: true },
  { id: "outgoingTraffic", section: II3, symbol: "TOUT", name: "outgoing data traffic in the year", unit: "TB", measured: true },

  { id: "pue", section: III, symbol: "PUE", name: "power usage effectiveness: EDC / EIT", unit: "", measured: true },
  { id: "wue", section: III, symbol: "WUE", name: "water usage effectiveness: WIN / EIT", unit: "L/kWh", measured: true },
  { id: "erf", section: III, symbol: "ERF", name: "energy reuse factor: EREUSE / EDC", unit: "", measured: true },
  { id: "ref", section: III, symbol: "REF", name: "renewable energy factor: ERES-TOT / EDC", unit: "", measured: true },
];

/** The types of data centre the regulation tells apart. */
export const DATA_CENTRE_TYPES = ["enterprise", "colocation", "co-hosting"] as const;
