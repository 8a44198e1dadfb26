import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EED_FIELDS } from "../../catalog";
import { type EedField, type EedRecord, calendarYear, energyReport, gpuIdleShare } from "../../components";
import { eedRecordSection, formatEedValue } from "../../plan/eedRecord";
import { osloWith, parseConfig } from "../helpers";

const field = (record: EedRecord, id: string): EedField => {
  const f = record.fields.find((x) => x.id === id);
  if (f === undefined) throw new Error(`no field ${id}`);
  return f;
};

/** Every declared fact and every meter of the record, on top of Oslo's energy meters. */
const FULL_FACILITY = {
  name: "Oslo 1",
  owner: "Example Telecom ASA",
  operators: ["Example Telecom ASA"],
  operatingSince: "2024-03-01",
  municipality: "Oslo",
  type: "co-hosting",
  totalFloorAreaM2: 4200,
  computerRoomFloorAreaM2: 1800,
  gridFunctions: [],
  backupGeneratorsKw: 2000,
  temperatureSetPoints: { itInletAirC: 27, liquidCoolantSupplyC: 40 },
  bandwidthGbps: { incoming: 400, outgoing: 400 },
};
const FULL = {
  "energy.facility": FULL_FACILITY,
  "energy.ictCapacity": { servers: 125_000, storagePetabytes: 12 },
  "energy.metered.potableWaterInputM3": 300,
  "energy.metered.wasteHeatTemperatureC": 62,
  "energy.metered.dataTraffic": { incomingTerabytes: 5_400, outgoingTerabytes: 1_900 },
  "energy.metered.renewable": { guaranteesOfOriginKwh: 7_015_000, powerPurchaseAgreementsKwh: 0, onSiteKwh: 0 },
};

describe("the EU data-centre database record", () => {
  it("has every field of the catalogue once, in its order, each with a status and a config key", () => {
    const record = energyReport(parseConfig()).eedRecord;
    expect(record.fields.map((f) => f.id)).toEqual(EED_FIELDS.map((f) => f.id));
    for (const f of record.fields) {
      expect(["metered", "declared", "estimated", "missing"], f.id).toContain(f.status);
      expect(f.configKey, f.id).toMatch(/^(energy|site)\./);
      expect(f.value === null, f.id).toBe(f.status === "missing" || (f.id === "wasteHeatTemperature" && f.status === "declared"));
    }
  });

  it("reads Oslo's meters as metered, its declared facts as declared, and lists the rest as missing", () => {
    const record = energyReport(parseConfig()).eedRecord;
    expect(field(record, "totalEnergy")).toMatchObject({ value: 7_015_000, status: "metered", configKey: "energy.metered.totalEnergyKwh" });
    expect(field(record, "waterInput")).toMatchObject({ value: 2400, status: "metered" });
    expect(field(record, "type")).toMatchObject({ value: "co-hosting", status: "declared", configKey: "energy.facility.type" });
    expect(field(record, "name")).toMatchObject({ value: "Oslo 1, Groruddalen", status: "declared", configKey: "site.displayName" });
    expect(field(record, "renewablePowerPurchaseAgreements")).toMatchObject({ value: 0, status: "declared" });
    expect(field(record, "pue")).toMatchObject({ value: 7_015_000 / 6_100_000, status: "metered" });
    expect(record.missing).toContain("energy.facility.totalFloorAreaM2");
    expect(record.missing).toContain("energy.metered.dataTraffic.incomingTerabytes");
    expect(record.missing).not.toContain("energy.facility.type");
    expect(record.estimated).toEqual([]);
    expect(record.readyToFile).toBe(false);
  });

  it("is ready to file when every fact is declared and every figure metered", () => {
    const record = energyReport(parseConfig(osloWith(FULL))).eedRecord;
    expect(record.missing).toEqual([]);
    expect(record.estimated).toEqual([]);
    expect(record.readyToFile).toBe(true);
    expect(field(record, "gridFunctions")).toMatchObject({ value: [], status: "declared" });
    expect(field(record, "temperatureSetPoints").value).toEqual({ itInletAirC: 27, liquidCoolantSupplyC: 40 });
    expect(field(record, "name").configKey).toBe("energy.facility.name");
  });

  it("marks design figures as estimated, to be metered before filing, when a site has no meters", () => {
    const config = parseConfig(osloWith({ energy: { installedItKw: 1200 } }));
    const record = energyReport(config).eedRecord;
    expect(field(record, "itEnergy").status).toBe("estimated");
    expect(field(record, "itEnergy").note).toContain("energy.metered.itEnergyKwh");
    expect(field(record, "totalEnergy").value).toBeCloseTo((field(record, "itEnergy").value as number) * config.site.power.pue, 3);
    expect(field(record, "wasteHeatReused").status).toBe("estimated");
    expect(field(record, "renewableEnergy").status).toBe("estimated");
    expect(field(record, "renewablePowerPurchaseAgreements").status).toBe("missing");
    expect(field(record, "pue").status).toBe("estimated");
    expect(field(record, "wue").status).toBe("missing");
    expect(record.estimated).toEqual(["energy.metered.totalEnergyKwh", "energy.metered.itEnergyKwh", "energy.metered.heatReusedKwh", "energy.metered.renewable", "energy.metered.renewable.guaranteesOfOriginKwh"]);
    expect(record.missing).toContain("energy.metered.waterInputM3");
    expect(record.missing).toContain("energy.reportingYear");
  });

  it("estimates installed IT power from the GPU pools only when it is not declared", () => {
    const record = energyReport(parseConfig(osloWith({ "energy.installedItKw": undefined }))).eedRecord;
    expect(field(record, "installedItPower").status).toBe("estimated");
    expect(field(record, "installedItPower").value as number).toBeGreaterThan(0);
    expect(record.estimated).toContain("energy.installedItKw");
  });

  it("declares no reused heat, and no heat temperature to give, for a site without a heat consumer", () => {
    const record = energyReport(parseConfig(osloWith({ "site.heatReuse": undefined, "energy.metered.heatReusedKwh": undefined }))).eedRecord;
    expect(field(record, "wasteHeatReused")).toMatchObject({ value: 0, status: "declared", configKey: "site.heatReuse" });
    expect(field(record, "wasteHeatTemperature")).toMatchObject({ value: null, status: "declared" });
    expect(record.missing).not.toContain("energy.metered.wasteHeatTemperatureC");
  });

  it("lists as missing exactly the declared facts a site leaves out (property)", () => {
    const keys = Object.keys(FULL_FACILITY) as (keyof typeof FULL_FACILITY)[];
    fc.assert(
      fc.property(fc.subarray(keys), (given) => {
        const facility = Object.fromEntries(given.map((k) => [k, FULL_FACILITY[k]]));
        const record = energyReport(parseConfig(osloWith({ ...FULL, "energy.facility": facility }))).eedRecord;
        const expected = keys
          .filter((k) => k !== "name" && !given.includes(k))
          .flatMap((k) => (k === "bandwidthGbps" ? [`energy.facility.${k}.incoming`, `energy.facility.${k}.outgoing`] : [`energy.facility.${k}`]));
        expect([...record.missing].sort()).toEqual(expected.sort());
        expect(record.readyToFile).toBe(expected.length === 0);
      }),
      { numRuns: 40 },
    );
  });

  it("says in the report what is missing, and that a site below 500 kW need not file", () => {
    const oslo = energyReport(parseConfig());
    const lines = eedRecordSection(oslo.eedRecord, oslo.obligation);
    expect(lines).toContain("**Still missing before the site can file:**");
    for (const key of oslo.eedRecord.missing) expect(lines.some((l) => l.startsWith(`- \`${key}\`: `)), key).toBe(true);
    const small = energyReport(parseConfig(osloWith({ "energy.installedItKw": 350 })));
    expect(eedRecordSection(small.eedRecord, small.obligation)).toContain("**Still missing before the site can file** (below the 500 kW threshold it need not, but may):");
    const full = energyReport(parseConfig(osloWith(FULL)));
    expect(eedRecordSection(full.eedRecord, full.obligation)).toContain("Every field is metered or declared: the record is ready to file.");
  });

  it("prints values as a reader expects", () => {
    expect(formatEedValue(2025, "year")).toBe("2025");
    expect(formatEedValue(7_015_000, "kWh")).toBe("7,015,000");
    expect(formatEedValue([])).toBe("none");
    expect(formatEedValue({ itInletAirC: 27 })).toBe("itInletAirC 27");
    expect(formatEedValue(null)).toBe("-");
  });
});

describe("the idle share of GPU energy", () => {
  it("names the recorded series per pool and for the site, and gives the year's share when declared", () => {
    const oslo = gpuIdleShare(parseConfig());
    expect(oslo.pools).toEqual(["h100-train", "dgx-h200", "l40s-infer"]);
    expect(oslo.series.idleShareByPool).toBe("aifactory:gpu_energy_idle_ratio:1d_by_pool");
    expect(oslo.year).toBeUndefined();
    // Oslo reports 2025: 365 days up to 2026-01-01T00:00:00Z.
    expect(oslo.yearQueries.energyKwh).toBe("sum(sum_over_time(aifactory:gpu_energy_kwh:increase1d_by_pool[364d23h59m30s:1d] @ 1767225600))");
    expect(calendarYear(2024)).toEqual({ days: 366, end: Date.UTC(2025, 0, 1) / 1000 });
    expect(gpuIdleShare(parseConfig(osloWith({ energy: undefined }))).yearQueries.idleEnergyKwh).toBe("sum(sum_over_time(aifactory:gpu_energy_kwh:increase1d_idle_by_pool[364d23h59m30s:1d]))");
    const metered = gpuIdleShare(parseConfig(osloWith({ "energy.metered.gpu": { energyKwh: 4_000_000, idleEnergyKwh: 600_000 } })));
    expect(metered.year).toEqual({ energyKwh: 4_000_000, idleEnergyKwh: 600_000, idleShare: 0.15, status: "metered" });
  });
});
