/**
 * Config problems: one per bad value, each naming the key path and what is
 * allowed, so that a user fixes every mistake in one round.
 */
import type { z } from "zod";

/** One thing wrong with a stack's config. */
export interface ConfigProblem {
  /** Key path inside the config, e.g. `gpuPools[1].gpusPerNode`. */
  readonly path: string;
  /** What is wrong and what is allowed, e.g. `must be 1, 2, 4 or 8`. */
  readonly message: string;
}

/** Renders `["gpuPools", 1, "zone"]` as `gpuPools[1].zone`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** `a`, `a or b`, `a, b or c`. */
export function listOr(values: readonly (string | number)[]): string {
  const items = values.map(String);
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a map of keys to values",
  record: "a map of keys to values",
};

function sizeMessage(issue: z.core.$ZodRawIssue, word: "least" | "most"): string {
  const bound = "minimum" in issue ? issue.minimum : "maximum" in issue ? issue.maximum : undefined;
  const inclusive = "inclusive" in issue ? issue.inclusive !== false : true;
  switch ("origin" in issue ? issue.origin : undefined) {
    case "array":
      return `must have at ${word} ${String(bound)} ${bound === 1 ? "entry" : "entries"}`;
    case "string":
      return bound === 1 && word === "least" ? "must not be empty" : `must be at ${word} ${String(bound)} characters`;
    default:
      if (inclusive) return `must be at ${word} ${String(bound)}`;
      return `must be ${word === "least" ? "greater" : "less"} than ${String(bound)}`;
  }
}

/**
 * Zod error map for config: plain English that says what is allowed. Schemas
 * that need a more specific message set their own, which takes precedence.
 */
export function configErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && issue.code === "invalid_type") return "is required";
  switch (issue.code) {
    case "invalid_type":
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `must be ${listOr(issue.values.map((v) => String(v)))}`;
    case "too_small":
      return sizeMessage(issue, "least");
    case "too_big":
      return sizeMessage(issue, "most");
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    case "invalid_union":
      return undefined;
    default:
      return undefined;
  }
}

/** Turns zod issues under a config key into problems with full key paths. */
export function problemsFromZod(section: string, error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath([section, ...issue.path]),
    message: issue.message,
  }));
}
