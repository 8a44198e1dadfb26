/**
 * Reading a stack file (`Pulumi.<stack>.yaml`) the way the engine hands config
 * to a program: `namespace:key` to a string, objects and lists as JSON text.
 */
import * as fs from "node:fs";
import { parse } from "yaml";

// Kept here, with no heavy imports, so the plan's command line can answer a
// usage error before it loads the Pulumi SDK.
/** Exit codes of `npm run plan`; other tools depend on them. */
export const ExitCode = {
  /** Planned; no mandatory policy violated. */
  ok: 0,
  /** Planned; a mandatory policy is violated. */
  violations: 1,
  /** Invalid config, command line, or a config that yields an invalid Kubernetes object. */
  usage: 2,
  /** The program itself failed (a bug, not a config problem). */
  internal: 3,
} as const;

/** Raised for a stack file that cannot be used; the plan exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Turns a stack file's `config:` map into engine-style string values. */
export function engineConfig(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value !== null && typeof value === "object" && "secure" in value) {
      throw new UsageError(`${key}: encrypted (secure) values cannot be read without the stack's secrets provider`);
    }
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

/** Reads a stack file and returns its config as the engine would pass it. */
export function readStackConfig(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read stack file ${file}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc === null || typeof doc !== "object" || !("config" in doc)) {
    throw new UsageError(`${file} has no top-level 'config:' map`);
  }
  const config = doc.config;
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new UsageError(`${file}: 'config:' must be a map of keys to values`);
  }
  return engineConfig(config as Record<string, unknown>);
}
