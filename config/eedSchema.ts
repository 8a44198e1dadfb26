/**
 * The keys of `sovereign-ai-factory:energy` that fill the rest of the EU
 * data-centre database record (catalog `eedRecord.ts`, Delegated Regulation
 * (EU) 2024/1364 Annexes I and II): the data centre's declared facts
 * (`facility`, `ictCapacity`) and the year's measured figures that are not
 * energy (`metered`: potable water, waste heat temperature, data traffic, and
 * the GPU energy read from the factory's own Prometheus). All optional: what
 * is not given is reported as missing.
 */
import { z } from "zod";
import { DATA_CENTRE_TYPES } from "../catalog";

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
/** A temperature a data centre can hold, °C (the range refuses a value in kelvin). */
const celsius = z.number().min(5).max(90);

/** Declared facts about the data centre (Annex I and the declared parts of Annex II). */
export const facilitySchema = z
  .strictObject({
    /** The data centre's name in the record; the site's `displayName` when not given. */
    name: z.string().min(1).optional(),
    owner: z.string().min(1).optional(),
    operators: z.array(z.string().min(1)).min(1).optional(),
    /** The date the data centre started operating, YYYY-MM-DD. */
    operatingSince: z.string().regex(ISO_DATE, { error: "must be a date as YYYY-MM-DD" }).optional(),
    municipality: z.string().min(1).optional(),
    type: z.enum(DATA_CENTRE_TYPES).optional(),
    totalFloorAreaM2: positive.optional(),
    computerRoomFloorAreaM2: positive.optional(),
    /** Grid services offered, e.g. `demand-response`; an empty list declares that it offers none. */
    gridFunctions: z.array(z.string().min(1)).optional(),
    backupGeneratorsKw: nonNegative.optional(),
    /** The computer room's temperature set points, °C. */
    temperatureSetPoints: z
      .strictObject({ itInletAirC: celsius.optional(), liquidCoolantSupplyC: celsius.optional() })
      .refine((s) => s.itInletAirC !== undefined || s.liquidCoolantSupplyC !== undefined, { error: "must give itInletAirC, liquidCoolantSupplyC or both" })
      .optional(),
    /** Contracted bandwidth of the data centre's uplinks, Gbit/s. */
    bandwidthGbps: z.strictObject({ incoming: positive.optional(), outgoing: positive.optional() }).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.totalFloorAreaM2 !== undefined && f.computerRoomFloorAreaM2 !== undefined && f.computerRoomFloorAreaM2 > f.totalFloorAreaM2) {
      ctx.addIssue({
        code: "custom",
        path: ["computerRoomFloorAreaM2"],
        message: `${f.computerRoomFloorAreaM2} m2 is more than energy.facility.totalFloorAreaM2 (${f.totalFloorAreaM2} m2): the computer room is part of the data centre`,
      });
    }
  });

/** Declared ICT capacity (Annex II(2)). */
export const ictCapacitySchema = z.strictObject({
  /** Sum of the servers' SERT-based capacity (Ecodesign Regulation (EU) 2019/424). */
  servers: positive.optional(),
  /** Storage equipment's capacity, petabytes. */
  storagePetabytes: positive.optional(),
});

/** The year's GPU energy from the factory's recorded series (the `..._increase1d_by_pool` and `..._idle_by_pool` days summed). */
export const gpuEnergySchema = z
  .strictObject({ energyKwh: positive, idleEnergyKwh: nonNegative })
  .superRefine((g, ctx) => {
    if (g.idleEnergyKwh > g.energyKwh) {
      ctx.addIssue({ code: "custom", path: ["idleEnergyKwh"], message: `${g.idleEnergyKwh} kWh is more than energy.metered.gpu.energyKwh (${g.energyKwh} kWh): idle is part of the pools' energy` });
    }
  });

/** Measured figures of the year beyond energy (added to `energy.metered`). */
export const meteredRecordShape = {
  /** Potable water taken in, cubic metres (part of `waterInputM3`). */
  potableWaterInputM3: nonNegative.optional(),
  /** Average temperature of the heat delivered to its consumer, °C. */
  wasteHeatTemperatureC: celsius.optional(),
  /** Data traffic of the year in and out of the data centre, terabytes. */
  dataTraffic: z.strictObject({ incomingTerabytes: nonNegative.optional(), outgoingTerabytes: nonNegative.optional() }).optional(),
  gpu: gpuEnergySchema.optional(),
};
