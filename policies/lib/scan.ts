/**
 * One pass over a resource that finds everything the data-residency policies
 * judge:
 *
 * - places: values of location fields (by key, in every format a string can
 *   carry, in selector terms judged as a whole);
 * - endpoints: values of endpoint fields (URLs or bare hosts);
 * - tokens: things that are foreign wherever they appear (cloud region
 *   codes, foreign hosts, foreign URI schemes, `s3://` URIs).
 *
 * norwegian-region-only reads places and region tokens; in-country-data reads
 * endpoints, hosts and schemes. The result is cached per property object, so
 * two policies on the same resource walk it once.
 */
import {
  FOREIGN_HOST_PATTERN,
  FOREIGN_REGION_PATTERN,
  FOREIGN_SCHEME_PATTERN,
  type ForeignHostKind,
  S3_SCHEME_PATTERN,
  foreignHostKind,
} from "../catalog";
import { type CarriedPair, argumentFlags, carriedDocuments, carriedLines, decodeBase64, inlineFlags } from "./carriers";
import { azureDisplayName, isCrushType, isLocationKey, isPlaceValue } from "./locations";
import { type ResourceView, kindOf } from "./resource";
import { formatPath, isRecord, memoKeyTest } from "./walk";

/** A value of a location field. */
export interface PlaceFinding {
  readonly path: string;
  readonly key: string;
  readonly value: string;
  /** A typed location field: every value must be allow-listed, plain words and empty values included. */
  readonly strict: boolean;
  /** Why the value cannot be accepted whatever it is (a selector term that does not pin). */
  readonly problem?: string;
}

/** A value of an endpoint field. */
export interface EndpointFinding {
  readonly path: string;
  readonly key: string;
  readonly value: string;
}

/** Something foreign found inside a string. */
export interface TokenFinding {
  readonly path: string;
  readonly kind: "region" | "host" | "scheme" | "s3";
  readonly token: string;
  readonly hostKind?: ForeignHostKind;
}

/** What one resource holds. */
export interface Scan {
  readonly places: PlaceFinding[];
  readonly endpoints: EndpointFinding[];
  readonly tokens: TokenFinding[];
}

/** Whether a key names an object-store or service endpoint (`endpoint`, `s3.endpoint`, `AWS_ENDPOINT_URL_S3`, `s3Url`). */
export const isEndpointKey = memoKeyTest((key: string): boolean => {
  const name = key.slice(key.lastIndexOf(".") + 1);
  const ws = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== "");
  const n = ws.length;
  if (n === 0) return false;
  const lastTwo = n >= 2 ? `${ws[n - 2]}${ws[n - 1]}` : "";
  if (lastTwo === "s3url" || lastTwo === "publicurl" || ws[n - 1] === "s3url" || ws[n - 1] === "s3endpoint") return true;
  if (ws[n - 1] === "endpoint" || ws[n - 1] === "endpoints") return true;
  const i = ws.indexOf("endpoint");
  return i >= 0 && ws[i + 1] === "url";
});

/** Environment variable names, flags and label keys whose values are typed location fields. */
const STRICT_PARENTS = new Set(["nodeSelector", "labels", "annotations"]);

/** How deep carried documents are followed (a document in a string in a document ...). */
const MAX_DEPTH = 3;

interface Ctx {
  readonly out: Scan;
  /** Every location field is typed (another provider's resource inputs). */
  readonly strictTree: boolean;
  readonly kind: string | undefined;
  readonly depth: number;
  /** Path text before this tree's own path (for carried documents). */
  readonly prefix: string;
  /** Inside a pod's tolerations, which look like selector expressions but select nothing. */
  readonly inTolerations?: boolean;
}

const pathOf = (ctx: Ctx, parts: readonly (string | number)[], suffix = "") => `${ctx.prefix}${formatPath(parts)}${suffix}`;

function scanTokens(text: string, path: string, out: Scan): void {
  if (text.length < 4) return;
  for (const m of text.matchAll(FOREIGN_REGION_PATTERN)) out.tokens.push({ path, kind: "region", token: m[0] });
  if (text.includes(".")) {
    for (const m of text.matchAll(FOREIGN_HOST_PATTERN)) {
      out.tokens.push({ path, kind: "host", token: m[0].toLowerCase(), hostKind: foreignHostKind(m[0]) ?? "cloud-service" });
    }
  }
  if (text.includes("://")) {
    for (const m of text.matchAll(FOREIGN_SCHEME_PATTERN)) out.tokens.push({ path, kind: "scheme", token: m[0] });
    for (const m of text.matchAll(S3_SCHEME_PATTERN)) out.tokens.push({ path, kind: "s3", token: m[0] });
  }
}

/** Scalar values as strings (a list of scalars as several; comma-separated strings split). */
function scalars(value: unknown): string[] | undefined {
  if (typeof value === "string") return value.split(",");
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" || typeof v === "number")) {
    return value.flatMap((v) => String(v).split(","));
  }
  return undefined;
}

/** The location and endpoint rules for one key and value. */
function judgePair(key: string, value: unknown, path: string, strict: boolean, out: Scan): void {
  if (isLocationKey(key)) {
    for (const v of scalars(value) ?? []) {
      if (isCrushType(key, v)) continue;
      // Azure takes a location by its display name too (`West Europe`): judged by its one-word name.
      const azure = azureDisplayName(v);
      if (azure !== undefined) out.places.push({ path, key, value: azure, strict: true });
      else if (strict || isPlaceValue(v)) out.places.push({ path, key, value: v, strict });
    }
  }
  if (typeof value === "string" && isEndpointKey(key)) out.endpoints.push({ path, key, value: value.trim() });
}

function judgeCarried(pairs: readonly CarriedPair[], path: string, out: Scan): void {
  for (const p of pairs) judgePair(p.key, p.value, `${path} (${p.at}) ${p.key}`, false, out);
}

/** `projects/<p>/locations/<place>/...` (Google Cloud resource names: KMS keys, Artifact Registry, Vertex AI). */
const GCP_RESOURCE_PLACE = /projects\/[^/\s"',;]+\/(locations|regions|zones)\/([^/\s"',;]+)/g;
/** `arn:<partition>:<service>:<region>:...`: the region field of an ARN (empty for global services). */
const ARN_REGION = /\barn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):/g;

/** Places inside identifiers: a Google Cloud resource name's location, an ARN's region. */
function identifierPlaces(text: string, path: string, out: Scan): void {
  if (text.includes("projects/")) {
    for (const m of text.matchAll(GCP_RESOURCE_PLACE)) judgePair(m[1] ?? "locations", m[2] ?? "", `${path} (${m[0]})`, false, out);
  }
  if (text.includes("arn:")) {
    for (const m of text.matchAll(ARN_REGION)) {
      const region = m[3] ?? "";
      if (region !== "") out.places.push({ path: `${path} (ARN region)`, key: "region", value: region, strict: true });
    }
  }
}

/** A string: foreign tokens, then whatever configuration it carries. */
function scanString(text: string, parts: readonly (string | number)[], ctx: Ctx): void {
  const path = pathOf(ctx, parts);
  const docs = ctx.depth < MAX_DEPTH ? carriedDocuments(text) : [];
  if (docs.length > 0) {
    docs.forEach((doc, i) => {
      const prefix = `${path} (embedded${docs.length > 1 ? ` document ${i + 1}` : ""}) `;
      walk(doc, [], { ...ctx, depth: ctx.depth + 1, prefix, strictTree: false });
    });
    return;
  }
  scanTokens(text, path, ctx.out);
  identifierPlaces(text, path, ctx.out);
  if (text.includes("\n") || /^[^\s]+\s*=/.test(text)) judgeCarried(carriedLines(text), path, ctx.out);
  if (text.includes(" -") || text.startsWith("-")) judgeCarried(inlineFlags(text), path, ctx.out);
}

/** An array of `{key, operator, values}`: a selector term (node affinity, Karpenter requirements, allowedTopologies). */
function isSelectorTerm(items: readonly unknown[]): items is Record<string, unknown>[] {
  if (items.length === 0) return false;
  return items.every(
    (e) => isRecord(e) && typeof e["key"] === "string" && ("operator" in e || "values" in e) && !("effect" in e) && !("tolerationSeconds" in e),
  );
}

/**
 * Judges a selector term as a whole: its `In` expressions on location keys
 * must list places; other operators on location keys (`NotIn`, `Exists`,
 * `DoesNotExist`) only narrow a term that already pins with `In`, and are
 * refused in a term that does not.
 */
function judgeTerm(term: readonly Record<string, unknown>[], paths: readonly string[], ctx: Ctx): void {
  const located = term.map((e, i) => ({ e, i })).filter(({ e }) => isLocationKey(String(e["key"])));
  const pins = located.some(({ e }) => (e["operator"] ?? "In") === "In");
  for (const { e, i } of located) {
    const key = String(e["key"]);
    const operator = typeof e["operator"] === "string" ? e["operator"] : "In";
    const at = paths[i] ?? "";
    const values = Array.isArray(e["values"]) ? e["values"].map(String) : [];
    if (operator === "In") {
      if (values.length === 0) ctx.out.places.push({ path: `${at}.values`, key, value: "", strict: true, problem: `no values for ${key}` });
      values.forEach((v, j) => ctx.out.places.push({ path: `${at}.values[${j}]`, key, value: v, strict: true }));
    } else if (!pins) {
      ctx.out.places.push({ path: `${at}.operator`, key, value: operator, strict: true, problem: `operator ${operator} on ${key} does not pin to listed regions` });
    }
  }
}

function walkArray(items: readonly unknown[], parts: (string | number)[], key: string | number, ctx: Ctx): void {
  // Tolerations look like selector expressions but select nothing.
  if (key === "tolerations") ctx = { ...ctx, inTolerations: true };
  else if (!ctx.inTolerations && isSelectorTerm(items)) {
    judgeTerm(items, items.map((_, i) => pathOf(ctx, [...parts, i])), ctx);
    return;
  }
  if ((key === "args" || key === "command") && items.some((a) => typeof a === "string" && a.startsWith("-"))) {
    const at = pathOf(ctx, parts);
    for (const p of argumentFlags(items)) judgePair(p.key, p.value, `${at}${p.at} (flag --${p.key})`, false, ctx.out);
  }
  for (let i = 0; i < items.length; i++) {
    parts.push(i);
    walkValue(items[i], i, parts, ctx);
    parts.pop();
  }
}

function walkObject(obj: Record<string, unknown>, parts: (string | number)[], parentKey: string | number | undefined, ctx: Ctx): void {
  const name = obj["name"];
  const envValue = obj["value"];
  if (typeof name === "string" && typeof envValue === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    // An environment variable: its name is the key, and it is a typed field.
    judgePair(name, envValue, pathOf(ctx, parts, ".value"), true, ctx.out);
  }
  if (!ctx.inTolerations && isSelectorTerm([obj])) {
    // A selector expression on its own, outside a list: judged as a term of one.
    judgeTerm([obj], [pathOf(ctx, parts)], ctx);
  }
  const strictChildren = ctx.strictTree || (typeof parentKey === "string" && STRICT_PARENTS.has(parentKey));
  // A map keyed by place under a place key (`regions: {eu-west-2: {...}}`): each key is a place claim.
  const keyedByPlace = typeof parentKey === "string" && isLocationKey(parentKey);
  for (const key in obj) {
    const child = obj[key];
    parts.push(key);
    if (keyedByPlace && typeof child === "object" && child !== null) judgePair(parentKey, key, `${pathOf(ctx, parts)} (key)`, false, ctx.out);
    else if (/\d/.test(key) && key.includes("-")) {
      for (const m of key.matchAll(FOREIGN_REGION_PATTERN)) ctx.out.tokens.push({ path: `${pathOf(ctx, parts)} (key)`, kind: "region", token: m[0] });
    }
    if (typeof child !== "object" || child === null || Array.isArray(child)) {
      judgePair(key, child, pathOf(ctx, parts), strictChildren || key.includes("/") || /locationconstraint$/i.test(key), ctx.out);
    }
    // A Secret's data and a ConfigMap's binaryData are base64: judged as the text they decode to.
    const base64 = (ctx.kind === "Secret" && parentKey === "data") || (ctx.kind === "ConfigMap" && parentKey === "binaryData");
    if (base64 && parts.length === 2 && typeof child === "string") {
      const text = decodeBase64(child);
      if (text !== undefined) scanString(text, parts, { ...ctx, prefix: ctx.prefix, depth: ctx.depth });
    } else {
      walkValue(child, key, parts, ctx);
    }
    parts.pop();
  }
}

function walkValue(value: unknown, key: string | number, parts: (string | number)[], ctx: Ctx): void {
  if (typeof value === "string") scanString(value, parts, ctx);
  else if (Array.isArray(value)) walkArray(value, parts, key, ctx);
  else if (isRecord(value)) walkObject(value, parts, key, ctx);
}

function walk(root: unknown, parts: (string | number)[], ctx: Ctx): void {
  if (isRecord(root)) walkObject(root, parts, undefined, ctx);
  else walkValue(root, "", parts, ctx);
}

const cache = new WeakMap<object, Scan>();

/** Fields of a ValidatingAdmissionPolicy that hold CEL programs. */
const CEL_FIELDS = ["validations", "variables", "matchConditions", "auditAnnotations"];

/**
 * What to scan of a resource. A ValidatingAdmissionPolicy's CEL names the
 * foreign regions it refuses; a program that judges objects places nothing,
 * so its expressions are not configuration to scan (its other fields are).
 */
function scannedProps(r: Pick<ResourceView, "type" | "props">): unknown {
  if (!r.type.startsWith("kubernetes:admissionregistration.k8s.io/") || kindOf(r as ResourceView) !== "ValidatingAdmissionPolicy") return r.props;
  const spec = isRecord(r.props["spec"]) ? r.props["spec"] : {};
  return { ...r.props, spec: Object.fromEntries(Object.entries(spec).filter(([k]) => !CEL_FIELDS.includes(k))) };
}

/** Everything the data-residency policies judge in one resource's properties (cached per property object). */
export function scanResource(r: Pick<ResourceView, "type" | "props">): Scan {
  const hit = cache.get(r.props);
  if (hit) return hit;
  const out: Scan = { places: [], endpoints: [], tokens: [] };
  const isKubernetes = r.type.startsWith("kubernetes:");
  walk(scannedProps(r), [], {
    out,
    strictTree: !isKubernetes,
    kind: kindOf(r as ResourceView),
    depth: 0,
    prefix: "",
  });
  cache.set(r.props, out);
  return out;
}
