/**
 * Configuration carried in strings: what a ConfigMap file, a Secret value,
 * Helm values passed as text or a container's arguments really say. Each
 * reader turns a format into keys and values, so the same location and
 * endpoint rules apply to `region: x` in YAML, `region = x` in INI or HCL,
 * `REGION=x` in a .env file, `Region x` in Fluent Bit's classic format and
 * `--region=x` on a command line.
 */
import { parseAllDocuments } from "yaml";

/** Largest carried text looked into, in characters. */
export const MAX_CARRIED = 256 * 1024;

/** One key and value read from a carrier, with where it was. */
export interface CarriedPair {
  /** Where in the text (`line 3`, `arg 2`). */
  readonly at: string;
  readonly key: string;
  readonly value: string;
}

/** Removes the common leading indentation of every non-empty line (a YAML block indented as a whole). */
function dedent(text: string): string {
  const lines = text.split("\n");
  let indent = Infinity;
  for (const line of lines) {
    if (line.trim() === "") continue;
    indent = Math.min(indent, line.length - line.trimStart().length);
  }
  return indent === Infinity || indent === 0 ? text : lines.map((l) => l.slice(indent)).join("\n");
}

/** Whether a text may be a JSON or YAML document worth parsing (cheap test first: most strings are not). */
function mayBeDocument(text: string): boolean {
  const first = text.trimStart()[0];
  if (first === "{" || first === "[") return true;
  return /^\s*(---|[^\s#:][^:\n]*:(\s|$))/m.test(text);
}

/**
 * The JSON or YAML documents a text holds: JSON, YAML blocks (also indented as
 * a whole), flow style (`{region: x}`), one line (`region: x`) and several
 * documents separated by `---`. Empty for plain text or a text that does not
 * parse.
 */
export function carriedDocuments(text: string): unknown[] {
  if (text.length > MAX_CARRIED || !mayBeDocument(text)) return [];
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const doc: unknown = JSON.parse(trimmed);
      if (doc !== null && typeof doc === "object") return [doc];
    } catch {
      // not JSON: maybe YAML flow style
    }
  }
  try {
    const docs = parseAllDocuments(dedent(text.replace(/\r\n/g, "\n")));
    if (!Array.isArray(docs)) return [];
    const out: unknown[] = [];
    for (const doc of docs) {
      if (doc.errors.length > 0) return [];
      const value: unknown = doc.toJS();
      if (value !== null && typeof value === "object") out.push(value);
    }
    return out;
  } catch {
    return [];
  }
}

/** `key = value`, `key: value`, `key value` (Fluent Bit), `export KEY=value`, with quotes and trailing `,`/`;` removed. */
const KEY_VALUE_LINE = /^\s*(?:export\s+|set\s+)?([A-Za-z_][\w.\-/]*)\s*(?:=|:|\s)\s*(.*?)\s*[,;]?\s*$/;

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/**
 * Keys and values of line-based formats: INI (the AWS CLI's config), .env,
 * TOML, Java properties and Spark defaults, Fluent Bit's classic format, HCL.
 * Sections (`[profile x]`), comments and blank lines are skipped.
 */
export function carriedLines(text: string): CarriedPair[] {
  if (text.length > MAX_CARRIED) return [];
  const out: CarriedPair[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";") || trimmed.startsWith("//") || trimmed.startsWith("[")) return;
    const [, key, raw] = KEY_VALUE_LINE.exec(line) ?? [];
    const value = unquote(raw ?? "");
    if (key === undefined || value === "" || value === "{" || value === "[") return;
    out.push({ at: `line ${i + 1}`, key, value });
  });
  return out;
}

/** A `--flag=value` or `-flag value` inside one string (a shell command line). */
const INLINE_FLAG = /(?:^|\s)--?([A-Za-z][\w.-]*)(?:=|\s+)("[^"]*"|'[^']*'|[^\s-][^\s]*)/g;

/** Flags and their values in one string (`sh -c "serve --region=eu-west-1"`). */
export function inlineFlags(text: string): CarriedPair[] {
  if (!text.includes("-")) return [];
  const out: CarriedPair[] = [];
  for (const [, key, value] of text.matchAll(INLINE_FLAG)) {
    if (key !== undefined && value !== undefined) out.push({ at: `flag --${key}`, key, value: unquote(value) });
  }
  return out;
}

/**
 * Flags in an argument list (a container's `args` or `command`):
 * `--region=x`, and `--region` followed by `x` as the next element.
 */
export function argumentFlags(args: readonly unknown[]): CarriedPair[] {
  const out: CarriedPair[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== "string" || !arg.startsWith("-")) continue;
    const name = arg.replace(/^--?/, "");
    const eq = name.indexOf("=");
    if (eq > 0) {
      out.push({ at: `[${i}]`, key: name.slice(0, eq), value: unquote(name.slice(eq + 1)) });
    } else {
      const next = args[i + 1];
      if (typeof next === "string" && !next.startsWith("-")) out.push({ at: `[${i + 1}]`, key: name, value: next });
    }
  }
  return out;
}

/** A base64 value (a Secret's `data`) as text, if it decodes to printable UTF-8; undefined otherwise. */
export function decodeBase64(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0 || v.length > MAX_CARRIED * 2 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const text = Buffer.from(v, "base64").toString("utf8");
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes("\ufffd") ? text : undefined;
}
