/**
 * `sovereign-ai-factory:energy`: the site's energy telemetry and the figures
 * of its yearly EU data-centre report, as a zod schema of its own.
 */
import { z } from "zod";
import { KEPLER_CHART } from "../catalog";
import { facilitySchema, ictCapacitySchema, meteredRecordShape } from "./eedSchema";

const kwh = z.number().nonnegative();

/** Annual metered figures of the site, where the operator has them (EED / Delegated Regulation (EU) 2024/1364). */
const meteredSchema = z.strictObject({
  /** Total energy the data centre took in the reporting year (facility meter), kWh. */
  totalEnergyKwh: z.number().positive().optional(),
  /** Energy delivered to IT equipment (UPS output / PDU meters), kWh. */
  itEnergyKwh: z.number().positive().optional(),
  /** Water taken in for cooling and humidification, cubic metres. */
  waterInputM3: z.number().nonnegative().optional(),
  /** Waste heat delivered outside the data centre (the heat consumer's meter), kWh. */
  heatReusedKwh: kwh.optional(),
  /** Renewable energy by instrument, kWh. */
  renewable: z
    .strictObject({
      guaranteesOfOriginKwh: kwh.optional(),
      powerPurchaseAgreementsKwh: kwh.optional(),
      onSiteKwh: kwh.optional(),
    })
    .optional(),
  ...meteredRecordShape,
}).superRefine((m, ctx) => {
  if (m.potableWaterInputM3 !== undefined && m.waterInputM3 !== undefined && m.potableWaterInputM3 > m.waterInputM3) {
    ctx.addIssue({ code: "custom", path: ["potableWaterInputM3"], message: `${m.potableWaterInputM3} m3 is more than energy.metered.waterInputM3 (${m.waterInputM3} m3): potable water is part of the water input` });
  }
});

/** `sovereign-ai-factory:energy`: telemetry and the EU data-centre indicators. All optional. */
export const energySchema = z
  .strictObject({
    /** The calendar year the metered figures cover. */
    reportingYear: z.number().int().min(2020).max(2100).optional(),
    /** Installed IT power of the data centre, kW (500 kW or more must report under the EED). */
    installedItKw: z.number().positive().optional(),
    /** Alert when estimated facility draw passes this share of the contracted renewable capacity. */
    capacityAlertFraction: z.number().gt(0).max(1).default(0.9),
    metered: meteredSchema.optional(),
    /** Declared facts of the EU data-centre database record (owner, floor areas, set points, ...). */
    facility: facilitySchema.optional(),
    /** Declared ICT capacity of the data centre's servers and storage. */
    ictCapacity: ictCapacitySchema.optional(),
    /** Kepler for node CPU and memory power, from the chart mirror. */
    nodeExporter: z
      .strictObject({
        enabled: z.boolean().default(false),
        chartVersion: z.string().regex(/^v?\d+\.\d+\.\d+$/, { error: "must be a pinned chart version such as 0.6.1" }).default("0.6.1"),
        /** Kepler's image tag, pinned (the chart would otherwise pull its appVersion). */
        imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be an image tag such as release-0.8.0" }).default(KEPLER_CHART.imageTag),
      })
      .default({ enabled: false, chartVersion: "0.6.1", imageTag: KEPLER_CHART.imageTag }),
  })
  .default({ capacityAlertFraction: 0.9, nodeExporter: { enabled: false, chartVersion: "0.6.1", imageTag: KEPLER_CHART.imageTag } });
