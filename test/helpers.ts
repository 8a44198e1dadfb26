/**
 * Shared test fixtures: the Oslo stack's config as raw sections (the compliant
 * baseline every case changes one thing in), and a runner for the real program
 * under the mock runtime.
 */
import * as path from "node:path";
import { CONFIG_NAMESPACE, type FactoryConfig, type SectionName, parseFactoryConfig } from "../config";
import { type RecordedResource, engineConfig, programResources, readStackConfig, runProgram } from "../plan";
import { main } from "../program";

/** The project root. */
export const ROOT = path.resolve(__dirname, "..");

/** Raw config sections, as YAML would give them. */
export type RawConfig = Record<SectionName, unknown> & Record<string, unknown>;

/** The Oslo stack's config sections, freshly parsed (safe to mutate). */
export function osloRaw(): RawConfig {
  const engine = readStackConfig(path.join(ROOT, "Pulumi.oslo.yaml"));
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(engine)) {
    raw[key.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(value) as unknown;
  }
  return raw as RawConfig;
}

/** Splits `gpuPools[1].zone` into `["gpuPools", 1, "zone"]`. */
export function parsePath(keyPath: string): (string | number)[] {
  return keyPath
    .split(/\.|(?=\[)/)
    .map((part) => (part.startsWith("[") ? Number(part.slice(1, -1)) : part));
}

/** Sets (or, for `undefined`, deletes) the value at a key path in raw config. */
export function setPath(root: Record<string, unknown>, keyPath: string, value: unknown): void {
  const parts = parsePath(keyPath);
  let node: unknown = root;
  for (const part of parts.slice(0, -1)) {
    node = (node as Record<string | number, unknown>)[part];
    if (node === null || typeof node !== "object") throw new Error(`no object at '${String(part)}' in ${keyPath}`);
  }
  const last = parts[parts.length - 1]!;
  const parent = node as Record<string | number, unknown>;
  if (value === undefined) Reflect.deleteProperty(parent, last);
  else parent[last] = value;
}

/** The Oslo config with values changed at key paths. */
export function osloWith(changes: Record<string, unknown>): RawConfig {
  const raw = osloRaw();
  for (const [keyPath, value] of Object.entries(changes)) setPath(raw, keyPath, value);
  return raw;
}

/** Engine-style config (`namespace:key` to JSON text) from raw sections. */
export function toEngineConfig(raw: Record<string, unknown>): Record<string, string> {
  const namespaced: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) namespaced[`${CONFIG_NAMESPACE}:${key}`] = value;
  }
  return engineConfig(namespaced);
}

/** Runs the real program with raw config; returns what it registered (root stack excluded). */
export async function runWith(raw: Record<string, unknown>): Promise<{
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}> {
  const result = await runProgram({ stack: "test", config: toEngineConfig(raw), program: main });
  return { resources: programResources(result), outputs: result.outputs };
}


/** Raw config parsed and validated; fails the test with every problem if it is invalid. */
export function parseConfig(raw: Record<string, unknown> = osloRaw()): FactoryConfig {
  const result = parseFactoryConfig(raw);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return result.config;
}
