/**
 * Which keys name a place, and which values are place claims.
 *
 * A key names a place when its last word is region, zone, location,
 * datacenter, failure domain, `az` or S3's location constraint, alone, with
 * a prefix (`replicaRegion`, `aws-region`) or with a suffix (`region_name`,
 * `regionCode`, `location_id`). Some keys look like that and are not places:
 * time zones, DNS zones (`zoneId`, `zoneName`, `managedZone`, hosted zones),
 * Velero's names of its own objects (`storageLocation`,
 * `defaultBackupStorageLocation`, `volumeSnapshotLocations`), and files
 * (`SPRING_CONFIG_LOCATION`).
 *
 * Values: in a typed location field (see `strict`) every value is a place
 * claim. In free-form configuration a value is a place claim when it looks
 * like one (`isPlaceValue`); plain words (`header`), free text and paths are
 * not, though every string is still scanned for foreign region codes.
 */
import { AZURE_FOREIGN_REGIONS, FOREIGN_PLACE_WORDS } from "../catalog";
import { memoKeyTest } from "./walk";

/** Words a place key may end with (shared with the admission policies, which spell the same test in CEL). */
export const PLACE_WORDS = new Set([
  "region", "regions", "location", "locations", "zone", "zones", "az", "azs", "datacenter", "datacenters",
  "failuredomain", "failuredomains", "locationconstraint",
]);

/** Suffixes after the place word (exported for the admission policies) (`region_name`, `regionCode`, `location_id`). */
export const SUFFIXES = new Set(["name", "names", "id", "ids", "code", "codes"]);

/** Words before `location` that make it a file or an object's name, not a place (exported for the admission policies). */
export const NOT_PLACE_BEFORE_LOCATION = new Set(["config", "file", "files", "log", "logs", "schema", "storage", "snapshot", "script", "cache"]);

/** DNS zones and time zones, in the spellings providers and charts use. */
export const NOT_PLACE_KEY = /(time[-_]?zone|dns[-_]?zone|hosted[-_]?zone|private[-_]?zone|managed[-_]?zone)/i;
/** Exact key names of DNS zones (external-dns, cert-manager, Route 53). */
export const DNS_ZONE_KEYS = new Set(["zoneId", "zoneID", "zoneIds", "zoneName", "zoneNames", "zone_id", "publicZoneName", "privateZoneName"]);

/** A key split into lower-case words: `replicaRegion_name` → replica, region, name. */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** The place word a list of words ends with (joining two-word forms such as `data center`), if any. */
function placeWordAtEnd(ws: readonly string[]): { word: string; before: string | undefined } | undefined {
  const [last, previous] = [ws.at(-1), ws.at(-2)];
  if (last === undefined) return undefined;
  const two = previous === undefined ? undefined : `${previous}${last}`;
  if (two !== undefined && PLACE_WORDS.has(two)) return { word: two, before: ws.at(-3) };
  if (PLACE_WORDS.has(last)) return { word: last, before: previous };
  return undefined;
}

/** Whether a property, label, annotation, variable or flag name names a place. */
export const isLocationKey = memoKeyTest((key: string): boolean => {
  const segment = key.slice(key.lastIndexOf("/") + 1);
  const name = segment.slice(segment.lastIndexOf(".") + 1);
  if (NOT_PLACE_KEY.test(name) || DNS_ZONE_KEYS.has(name)) return false;
  let ws = words(name);
  if (ws.length > 1 && SUFFIXES.has(ws.at(-1) ?? "")) ws = ws.slice(0, -1);
  const found = placeWordAtEnd(ws);
  if (!found) return false;
  if ((found.word === "location" || found.word === "locations") && found.before !== undefined && NOT_PLACE_BEFORE_LOCATION.has(found.before)) {
    return false;
  }
  return true;
});

/** Ceph CRUSH bucket types: a Rook `failureDomain` names one of these, not a cloud zone (exported for the admission policies). */
export const CRUSH_TYPES = new Set(["osd", "host", "chassis", "rack", "row", "pdu", "pod", "room", "datacenter", "zone", "region", "root"]);

/** Whether a `failureDomain` value is a Ceph placement type rather than a place. */
export function isCrushType(key: string, value: string): boolean {
  return /failure[-_]?domain$/i.test(key) && CRUSH_TYPES.has(value.trim().toLowerCase());
}

const AZURE_FOREIGN = new Set(AZURE_FOREIGN_REGIONS);

/** Compass words region codes are made of (`us-east`, `eu-central`). */
export const DIRECTION_WORDS: ReadonlySet<string> = new Set([
  "north", "south", "east", "west", "central", "northeast", "northwest", "southeast", "southwest", "midwest",
]);

/** A DNS name (`oslo-1.aifactory.no`): under a `zone` key it is a DNS zone, not a place. */
export const DNS_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\.?$/i;

/** A two-letter area and a three- or four-letter city (`fr-par`, `nl-ams`): Scaleway's and others' region codes. */
const AREA_CITY = /^[a-z]{2}-[a-z]{3,4}$/i;

/**
 * Whether a value in free-form configuration is a place claim: one token (no
 * white space, no `/`, `:`, `=`, `@`, `{`, `$`) that is shaped like a region
 * or zone code (has a digit: `eu-west-1`, `fra1`; or is an area and a city:
 * `fr-par`; or has a place or compass word among its `-`/`_` parts:
 * `us-east`), is a known place word (`global`, `eu`, `stockholm`,
 * `westeurope`), or has characters outside ASCII (a look-alike of a Norwegian
 * name). Plain words and hyphenated words (`header`, `line-items`), DNS names
 * (`oslo-1.aifactory.no`), empty values, free text and paths are not.
 */
export function isPlaceValue(value: string): boolean {
  const v = value.trim();
  if (v === "" || /[\s/\\:=@{}$]/.test(v)) return false;
  if (/[^\x21-\x7e]/.test(v)) return true;
  if (DNS_NAME.test(v)) return false;
  if (/[0-9]/.test(v)) return true;
  const lower = v.toLowerCase();
  if (FOREIGN_PLACE_WORDS.has(lower) || AZURE_FOREIGN.has(lower) || AREA_CITY.test(v)) return true;
  return lower.split(/[-_]/).some((part) => FOREIGN_PLACE_WORDS.has(part) || DIRECTION_WORDS.has(part));
}

/** Azure regions by display name (`West Europe`, `Norway East`), to their one-word names. */
const AZURE_DISPLAY = new Map([...AZURE_FOREIGN_REGIONS, "norwayeast", "norwaywest"].map((r) => [r, r]));

/**
 * The one-word Azure name of a display name (`West Europe` → `westeurope`),
 * if the value is one; Azure accepts both spellings for a location.
 */
export function azureDisplayName(value: string): string | undefined {
  const v = value.trim();
  if (!/^[A-Za-z0-9]+( [A-Za-z0-9]+)+$/.test(v)) return undefined;
  return AZURE_DISPLAY.get(v.replace(/ /g, "").toLowerCase());
}

/** A bare availability-zone number (`"1"`, `"2"`), which names a zone only together with a region. */
export function isNumericZone(value: string): boolean {
  return /^\s*\d{1,2}\s*$/.test(value);
}
