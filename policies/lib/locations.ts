/**
 * Finding region and zone values anywhere in a resource: under any key that
 * names a region, zone, location or failure domain (labels, annotations, node
 * selectors, provider inputs, Helm values, config data), in label-selector
 * expressions on such keys, and in environment variables named like one.
 */
import { parse as parseYaml } from "yaml";
import { formatPath, isRecord, memoKeyTest, visit } from "./walk";

/** A region or zone value found in a resource. */
export interface LocationFinding {
  /** Path of the value in the resource's properties. */
  readonly path: string;
  /** The value as written (after splitting comma-separated lists). */
  readonly value: string;
  /** Why the value cannot be accepted whatever it is (a selector operator that does not pin). */
  readonly problem?: string;
}

/** Keys that look like a location but are not one. */
const NOT_LOCATIONS = /(time[-_]?zone|hosted[-_]?zone|dns[-_]?zone)/i;

/** Whether a property, label or annotation key names a region, zone, location or failure domain. */
export const isLocationKey = memoKeyTest((key: string): boolean => {
  const name = key.slice(key.lastIndexOf("/") + 1);
  if (NOT_LOCATIONS.test(name)) return false;
  return /(region|location|zone|failure[-_]?domain)(s|name|names|id|ids)?$/i.test(name);
});

/** Whether an environment variable name names a region, zone or location. */
const isLocationEnvName = memoKeyTest((name: string): boolean => !NOT_LOCATIONS.test(name) && /(REGION|LOCATION|ZONE)S?$/i.test(name));

/** A scalar (or list of scalars) as the region values it holds; strings may be comma-separated. */
function asValues(value: unknown): string[] | undefined {
  if (typeof value === "string") return value.split(",");
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) {
    return value.flatMap((v) => String(v).split(","));
  }
  return undefined;
}

/** `{key, operator, values}` (node affinity) or `{key, values}` (allowedTopologies) on a location key. */
function selectorFindings(obj: Record<string, unknown>, path: string): LocationFinding[] {
  const key = obj["key"];
  if (typeof key !== "string" || !isLocationKey(key)) return [];
  const operator = typeof obj["operator"] === "string" ? obj["operator"] : "In";
  const values = Array.isArray(obj["values"]) ? obj["values"].map(String) : [];
  if (operator !== "In") {
    return [{ path: `${path}.operator`, value: operator, problem: `operator ${operator} on ${key} does not pin to listed regions` }];
  }
  if (values.length === 0) return [{ path: `${path}.values`, value: "", problem: `no values for ${key}` }];
  return values.map((value, i) => ({ path: `${path}.values[${i}]`, value }));
}

/** Largest embedded document looked into, in characters. */
const MAX_EMBEDDED = 256 * 1024;

/**
 * A JSON or YAML document carried in a string (a ConfigMap file, Helm values
 * passed as text), so a region cannot hide in it; undefined for plain text.
 */
export function embeddedDocument(value: string): unknown {
  if (value.length > MAX_EMBEDDED) return undefined;
  const text = value.trim();
  const looksJson = text.startsWith("{") || text.startsWith("[");
  const looksYaml = text.includes("\n") && /^[^\s#][^:\n]*:/m.test(text);
  if (!looksJson && !looksYaml) return undefined;
  try {
    const doc: unknown = looksJson ? JSON.parse(text) : parseYaml(text);
    return doc !== null && typeof doc === "object" ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** Every region or zone value in `props`, with its path, including inside embedded JSON or YAML. */
export function findLocations(props: unknown, depth = 0): LocationFinding[] {
  const found: LocationFinding[] = [];
  const check = (key: string | number, value: unknown, parts: readonly (string | number)[]) => {
    if (typeof key === "string" && isLocationKey(key)) {
      const values = asValues(value);
      if (values) for (const v of values) found.push({ path: formatPath(parts), value: v });
    }
    if (!isRecord(value)) return;
    if ("key" in value && ("values" in value || "operator" in value)) found.push(...selectorFindings(value, formatPath(parts)));
    const name = value["name"];
    const envValue = value["value"];
    if (typeof name === "string" && typeof envValue === "string" && isLocationEnvName(name)) {
      found.push({ path: `${formatPath(parts)}.value`, value: envValue });
    }
  };
  check("", props, []);
  visit(props, (key, value, _parent, parts) => {
    check(key, value, parts);
    if (typeof value !== "string" || depth > 2) return;
    const doc = embeddedDocument(value);
    if (doc === undefined) return;
    const at = formatPath(parts);
    for (const f of findLocations(doc, depth + 1)) found.push({ ...f, path: `${at} (embedded) ${f.path}` });
  });
  return found;
}
