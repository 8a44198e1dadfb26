/**
 * Reading a stack file (`Pulumi.<stack>.yaml`) the way the engine hands config
 * to a program: `namespace:key` to a string, objects and lists as JSON text.
 */
import * as fs from "node:fs";
import { parse } from "yaml";
import { UsageError } from "./exitCodes";

export { ExitCode, UsageError } from "./exitCodes";

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
