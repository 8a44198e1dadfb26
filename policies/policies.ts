/**
 * The policies of the pack, importable without starting the analyzer (which
 * `new PolicyPack` does), so tests and the offline plan run them directly.
 */
import type { Policies } from "@pulumi/policy";
import { energyReporting } from "./energyReporting";
import { gpuWorkloadPlacement } from "./gpuWorkloadPlacement";
import { gpuWorkloadQueued } from "./gpuWorkloadQueued";
import { heatReuseDeclared } from "./heatReuseDeclared";
import { inCountryData } from "./inCountryData";
import { inCountryFleet } from "./inCountryFleet";
import { norwegianRegionOnly } from "./norwegianRegionOnly";
import { renewablePowerSite } from "./renewablePowerSite";
import { sensitiveDataIsolation } from "./sensitiveDataIsolation";
import { sitePowerBudget } from "./sitePowerBudget";
import { sovereignSupplyChain } from "./sovereignSupplyChain";

/** The name the pack is published under. */
export const POLICY_PACK_NAME = "sovereign-ai-factory";

/** Every policy in the pack. */
export const policies: Policies = [
  norwegianRegionOnly,
  renewablePowerSite,
  inCountryData,
  sitePowerBudget,
  sensitiveDataIsolation,
  gpuWorkloadPlacement,
  heatReuseDeclared,
  sovereignSupplyChain,
  energyReporting,
  gpuWorkloadQueued,
  inCountryFleet,
];
