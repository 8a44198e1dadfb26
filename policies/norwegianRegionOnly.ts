/**
 * norwegian-region-only (mandatory): no region or zone value outside the
 * Norwegian catalogue, anywhere in any resource or in the provider it is
 * deployed with. Matching is strict: trimmed, lower-cased, exact.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { NORWEGIAN_REGIONS, NORWEGIAN_ZONES, isAllowedLocation } from "./catalog";
import { unreadableAssets } from "./lib/assets";
import { stringList } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { isNumericZone } from "./lib/locations";
import { scanResource } from "./lib/scan";
import { type ResourceView, describe } from "./lib/resource";
import { Frameworks } from "./lib/compliance";

/** Config of norwegian-region-only. */
export interface NorwegianRegionConfig {
  allowedRegions: string[];
  allowedZones: string[];
}

/** Defaults: the Norwegian region catalogue. */
export const NORWEGIAN_REGION_DEFAULTS: NorwegianRegionConfig = {
  allowedRegions: [...NORWEGIAN_REGIONS],
  allowedZones: [...NORWEGIAN_ZONES],
};

const combined = new WeakMap<NorwegianRegionConfig, string[]>();

/** Regions and zones in one list, made once per config. */
function allowedLocations(config: NorwegianRegionConfig): string[] {
  let list = combined.get(config);
  if (!list) {
    list = [...config.allowedRegions, ...config.allowedZones];
    combined.set(config, list);
  }
  return list;
}

/**
 * Violation messages for every non-Norwegian place in a resource: values of
 * location fields that are not allow-listed, availability-zone numbers of a
 * region that is not Norwegian, and foreign region codes anywhere in a string.
 */
export function regionViolations(r: ResourceView, config: NorwegianRegionConfig, via = ""): string[] {
  const allowed = allowedLocations(config);
  const { places, tokens } = scanResource(r);
  const named = places.filter((f) => f.problem === undefined && !isNumericZone(f.value));
  const norwegianRegion = named.length > 0 && named.every((f) => isAllowedLocation(f.value, allowed));
  const out: string[] = [];
  const reported: string[] = [];
  const alreadyReported = (token: string) => reported.some((v) => v.includes(token.toLowerCase()));
  for (const f of places) {
    const where = `${describe(r)}${via}: ${f.path}`;
    reported.push(f.value.trim().toLowerCase());
    if (f.problem !== undefined) out.push(`${where}: ${f.problem}`);
    else if (isAllowedLocation(f.value, allowed)) continue;
    else if (isNumericZone(f.value)) {
      if (!norwegianRegion) out.push(`${where} = ${JSON.stringify(f.value)} is a zone number of a region that is not Norwegian`);
    } else out.push(`${where} = ${JSON.stringify(f.value)} is not a Norwegian region or zone`);
  }
  for (const t of tokens) {
    if (t.kind !== "region" || isAllowedLocation(t.token, allowed) || alreadyReported(t.token)) continue;
    reported.push(t.token.toLowerCase());
    out.push(`${describe(r)}${via}: ${t.path} contains the foreign region code ${JSON.stringify(t.token)}`);
  }
  return out;
}

/**
 * An asset the pack cannot read (a file on the program's machine, a remote
 * URI, an archive) configures its resource unseen: Helm values in a
 * `FileAsset` set regions and endpoints as `values` would. What cannot be
 * read cannot be judged, so it is refused. (The program's guard rails read
 * such files themselves and judge their text; a `StringAsset`'s text the
 * pack reads.)
 */
export function unreadableAssetViolations(r: ResourceView): string[] {
  return unreadableAssets(r.props).map(
    (a) => `${describe(r)}: ${a.path} is ${a.what} whose contents the policy pack cannot read, so the places and hosts in it are not judged; give these values inline (\`values\`) or as a StringAsset`,
  );
}

/** Violations of a resource and of the provider it is deployed with. */
function withProvider(r: ResourceView & Pick<ResourceValidationArgs, "provider">, config: NorwegianRegionConfig): string[] {
  const own = [...regionViolations(r, config), ...unreadableAssetViolations(r)];
  if (!r.provider) return own;
  const viaProvider = { ...r.provider, name: r.name, type: r.type };
  return [...own, ...regionViolations(viaProvider, config, ` via provider ${r.provider.name}`)];
}

/** The policy. */
export const norwegianRegionOnly = resourcePolicy({
  name: "norwegian-region-only",
  description: "Nothing may be placed in, pinned to, replicated to or backed up to a region that is not Norwegian.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Use a region or zone from the Norwegian catalogue (`no-oslo-1`, `no-oslo-1a`, `norwayeast`, ...), or remove the foreign one. If a value is Norwegian but not catalogued, add it to the policy's `allowedRegions` / `allowedZones` config.",
  framework: Frameworks.nsm,
  configSchema: {
    properties: {
      allowedRegions: stringList("Region names that are Norwegian.", NORWEGIAN_REGION_DEFAULTS.allowedRegions),
      allowedZones: stringList("Zone names that are Norwegian.", NORWEGIAN_REGION_DEFAULTS.allowedZones),
    },
  },
  defaults: NORWEGIAN_REGION_DEFAULTS,
  violations: withProvider,
});
