/**
 * The Norwegian region catalogue: the only place that says which region and
 * zone names are Norwegian. It is the default allow-list of the policy pack and
 * the reference for stack config.
 */

/** The factory's own sites (data centres) in Norway. */
export const NORWEGIAN_SITE_REGIONS = [
  "no-oslo-1",
  "no-rjukan-1",
  "no-stavanger-1",
  "no-kristiansand-1",
  "no-nordfjordeid-1",
  "no-trondheim-1",
] as const;

/** Public cloud regions physically located in Norway. */
export const NORWEGIAN_CLOUD_REGIONS = ["norwayeast", "norwaywest"] as const;

/** A region of one of the factory's Norwegian sites. */
export type NorwegianSiteRegion = (typeof NORWEGIAN_SITE_REGIONS)[number];

/** Zone suffixes: a site's zones are its region name plus one letter. */
const ZONE_LETTERS = "abcdefghijklmnopqrstuvwxyz".split("");

/** Every zone of a site region (`no-oslo-1a` ... `no-oslo-1z`). */
export function zonesOfRegion(region: string): string[] {
  return ZONE_LETTERS.map((letter) => `${region}${letter}`);
}

/** Every region name that is Norwegian by default. */
export const NORWEGIAN_REGIONS: readonly string[] = [...NORWEGIAN_SITE_REGIONS, ...NORWEGIAN_CLOUD_REGIONS];

/** Every zone name that is Norwegian by default. */
export const NORWEGIAN_ZONES: readonly string[] = NORWEGIAN_SITE_REGIONS.flatMap(zonesOfRegion);

/**
 * Canonical form for comparing a region or zone value: trimmed and lower-cased.
 * Returns undefined for a value that is not plain printable ASCII after
 * trimming, because `toLowerCase` folds some look-alikes (the Kelvin sign
 * becomes `k`) into ASCII and would otherwise let them through.
 */
export function normaliseRegionValue(value: string): string | undefined {
  // ASCII white space only: String.prototype.trim also strips a no-break
  // space, a BOM and line separators, which would let them through unseen.
  const trimmed = value.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, "");
  if (!/^[\x21-\x7e]+$/.test(trimmed)) return undefined;
  return trimmed.toLowerCase();
}

/** Normalised allow-lists, by list: policies check every value of every resource against the same list. */
const normalisedLists = new WeakMap<readonly string[], ReadonlySet<string>>();

function normalisedSet(allowList: Iterable<string>): ReadonlySet<string> {
  const cached = Array.isArray(allowList) ? normalisedLists.get(allowList as readonly string[]) : undefined;
  if (cached) return cached;
  const set = new Set<string>();
  for (const allowed of allowList) {
    const normal = normaliseRegionValue(allowed);
    if (normal !== undefined) set.add(normal);
  }
  if (Array.isArray(allowList)) normalisedLists.set(allowList as readonly string[], set);
  return set;
}

/** Whether `value` names an allowed region or zone, strictly by allow-list. */
export function isAllowedLocation(value: string, allowList: Iterable<string>): boolean {
  const normal = normaliseRegionValue(value);
  return normal !== undefined && normalisedSet(allowList).has(normal);
}

/** The site region a zone belongs to, when the zone is `<region><letter>`. */
export function regionOfZone(zone: string): string | undefined {
  const match = /^(.+\d)([a-z])$/.exec(zone);
  return match ? match[1] : undefined;
}
