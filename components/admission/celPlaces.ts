/**
 * CEL for the pack's judgement of place values (norwegian-region-only,
 * policies/lib/scan.ts): a value is compared trimmed, lower-cased and only
 * when it is printable ASCII; a bare zone number (`"1"`) names a zone only
 * together with a region elsewhere in the resource, which admission does
 * not see whole, so it leaves numbers to the pack; a selector term is judged
 * as a whole (`In` must list places, other operators only narrow a term
 * that pins). Every function takes CEL expressions and returns one.
 */
import { AZURE_FOREIGN_REGIONS, FOREIGN_PLACE_WORDS, FOREIGN_REGION_PATTERN } from "../../catalog";
import { CRUSH_TYPES, DIRECTION_WORDS, DNS_NAME } from "../../policies/lib/locations";
import { celIsPlaceKey } from "./celKeys";

/** A CEL string literal (single-quoted, with `\` and `'` escaped). */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A CEL list literal of strings. */
export function celList(values: Iterable<string>): string {
  return `[${[...values].map(celString).join(", ")}]`;
}

/** CEL: the value is allow-listed (trimmed, printable ASCII, lower-cased). `allowed` is a CEL list expression. */
export function celAllowed(value: string, allowed: string): string {
  return `(${value}.trim().matches(r'^[!-~]+$') && ${value}.trim().lowerAscii() in ${allowed})`;
}

/** The pack's foreign-region pattern in RE2 (no look-around: a boundary is the string's edge or a non-alphanumeric character). */
export const FOREIGN_REGION_RE2 = `(?i)${FOREIGN_REGION_PATTERN.source.replace("(?<![a-z0-9])", "(?:^|[^a-z0-9])").replace("(?![a-z0-9])", "(?:[^a-z0-9]|$)")}`;

/** CEL: a string holds a foreign region code anywhere (the pack scans every string of four characters or more). */
export function celForeignToken(value: string): string {
  return `(size(${value}) >= 4 && ${value}.matches(r'${FOREIGN_REGION_RE2}'))`;
}

/** CEL: an Azure display name (`West Europe`, `Norway East`), which the pack judges by its one-word name. */
function celAzureDisplay(value: string): string {
  const names = celList([...AZURE_FOREIGN_REGIONS, "norwayeast", "norwaywest"]);
  return `(${value}.trim().matches(r'^[A-Za-z0-9]+( [A-Za-z0-9]+)+$') && ${value}.trim().replace(' ', '').lowerAscii() in ${names})`;
}

/** CEL: a place value the pack accepts: an allowed name (an Azure display name by its one-word name) or a zone number. */
function celPlaceOk(value: string, allowed: string): string {
  return `(${celAzureDisplay(value)} ? ${value}.trim().replace(' ', '').lowerAscii() in ${allowed} : (${celAllowed(value, allowed)} || ${celNumericZone(value)}))`;
}

/** CEL: a bare availability-zone number. */
export function celNumericZone(value: string): string {
  return `${value}.matches(r'^\\s*[0-9]{1,2}\\s*$')`;
}

/** CEL: a Rook `failureDomain` key whose value is a Ceph placement type, not a place. */
export function celCrushType(key: string, value: string): string {
  return `(${key}.matches(r'(?i)failure[-_]?domain$') && ${value}.trim().lowerAscii() in ${celList(CRUSH_TYPES)})`;
}

/**
 * CEL: a value in free-form configuration that claims a place (the pack's
 * `isPlaceValue`): one token with characters outside ASCII, or (not a DNS
 * name) with a digit, an area-and-city code, a known place word, or a place
 * or compass word among its `-`/`_` parts.
 */
export function celPlaceValue(value: string): string {
  const words = new Set([...FOREIGN_PLACE_WORDS, ...AZURE_FOREIGN_REGIONS]);
  const parts = [...FOREIGN_PLACE_WORDS, ...DIRECTION_WORDS].map((w) => w.replace(/[^a-z0-9]/g, "")).filter((w) => w !== "");
  const v = `${value}.trim()`;
  return (
    `(${v} != '' && !${v}.matches(r'[\\s/\\\\:=@{}$]') && (${v}.matches(r'[^!-~]') || (!${v}.matches(r'(?i)${DNS_NAME.source}') && ` +
    `(${v}.matches(r'[0-9]') || ${v}.lowerAscii() in ${celList(words)} || ${v}.matches(r'^[a-zA-Z]{2}-[a-zA-Z]{3,4}$') || ` +
    `${v}.lowerAscii().matches(r'(^|[-_])(${parts.join("|")})([-_]|$)')))))`
  );
}

/**
 * CEL: a map of label-like entries (a node selector, labels) where every
 * value under a place key is a place: each comma-separated part must be
 * allowed (or a zone number, or a Ceph placement type).
 */
export function celStrictMapOk(map: string, allowed: string): string {
  return (
    `${map}.all(k, !${celForeignToken(`${map}[k]`)} && (!${celIsPlaceKey("k")} || ${map}[k].split(',').all(v, ` +
    `${celCrushType("k", "v")} || ${celPlaceOk("v", allowed)})))`
  );
}

/**
 * CEL: a map of free-form configuration (StorageClass parameters): values
 * under place keys are judged when they are typed (`/` in the key) or look
 * like places.
 */
export function celConfigMapOk(map: string, allowed: string): string {
  return (
    `${map}.all(k, !${celForeignToken(`${map}[k]`)} && (!${celIsPlaceKey("k")} || ${map}[k].split(',').all(v, ` +
    `${celCrushType("k", "v")} || (${celAzureDisplay("v")} ? ${celPlaceOk("v", allowed)} : ` +
    `(!(k.contains('/') || k.matches(r'(?i)locationconstraint$') || ${celPlaceValue("v")}) || ${celPlaceOk("v", allowed)})))))`
  );
}

/** CEL: the keys of a strict map that break it, for messages. */
export function celStrictMapOffenders(map: string, allowed: string): string {
  return (
    `${map}.filter(k, ${celForeignToken(`${map}[k]`)} || (${celIsPlaceKey("k")} && !${map}[k].split(',').all(v, ` +
    `${celCrushType("k", "v")} || ${celPlaceOk("v", allowed)}))).map(k, k + '=' + ${map}[k]).join(', ')`
  );
}

/**
 * CEL: a selector term (a list of `{key, operator, values}`) that pins only
 * to allowed places: `In` on a place key lists allowed places (zone numbers
 * are left to the pack); `NotIn`, `Exists`, `DoesNotExist` on a place key
 * only in a term that also pins with `In`.
 */
export function celTermOk(term: string, allowed: string): string {
  const isIn = (e: string) => `(!has(${e}.operator) || ${e}.operator == 'In')`;
  const pins = `${term}.exists(p, ${celIsPlaceKey("p.key")} && ${isIn("p")})`;
  // The pack judges a term as a whole and scans none of its strings for region codes.
  return (
    `${term}.all(e, (!${celIsPlaceKey("e.key")} || (${isIn("e")} ? ` +
    `(has(e.values) && size(e.values) > 0 && e.values.all(v, ${celAllowed("v", allowed)} || ${celNumericZone("v")})) : ${pins})))`
  );
}

/** CEL: the optional fields `path` under the expression `base` are absent, or the condition on them holds. */
export function celOptional(base: string, path: string, condition: string): string {
  const parts = path.split(".");
  const guards = parts.map((_, i) => `has(${base}.${parts.slice(0, i + 1).join(".")})`);
  return `(!(${guards.join(" && ")}) || ${condition})`;
}
