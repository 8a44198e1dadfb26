/**
 * Reading and validating a site's config: the edge where untyped values from
 * `pulumi.Config` become a trusted `FactoryConfig`. Nothing is declared until
 * this has passed, so an invalid config registers no resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { crossCheck, declaredNames } from "./crossChecks";
import { type ConfigProblem, configErrorMap, problemsFromZod } from "./problems";
import { secretConfigProblems } from "./secrecy";
import {
  type FactoryConfig,
  type SectionName,
  bucketSchema,
  gpuPoolSchema,
  inferenceServiceSchema,
  sectionSchemas,
  storageClassSchema,
  storageSchema,
  tenantSchema,
  volumeSchema,
} from "./schema";

/** The Pulumi config namespace of this project's keys. */
export const CONFIG_NAMESPACE = "sovereign-ai-factory";

/** Every config section the program reads, in the order problems are reported. */
export const SECTION_NAMES = Object.keys(sectionSchemas) as SectionName[];

/** Raised when a stack's config is invalid; lists every problem at once. */
export class ConfigError extends pulumi.RunError {
  /** Each problem, with its key path. */
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
    super(`Invalid configuration for ${CONFIG_NAMESPACE} (${count}):\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** The outcome of validating raw config. */
export type ParseResult =
  | { readonly ok: true; readonly config: FactoryConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Edit distance between two words, for suggesting the key that was meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The known section closest to a misspelt key (case and plural forms count as close). */
export function closestSection(key: string): SectionName {
  const k = key.toLowerCase();
  let best: SectionName = SECTION_NAMES[0] ?? "site";
  let bestScore = Infinity;
  for (const name of SECTION_NAMES) {
    const n = name.toLowerCase();
    const score = k.startsWith(n) || n.startsWith(k) ? 0 : distance(k, n);
    if (score < bestScore) [best, bestScore] = [name, score];
  }
  return best;
}

/** Keys of our namespace that no section reads: a misspelt section would otherwise be silently ignored. */
function unknownKeyProblems(raw: Readonly<Record<string, unknown>>): ConfigProblem[] {
  return Object.keys(raw)
    .filter((key) => !(SECTION_NAMES as readonly string[]).includes(key) && raw[key] !== undefined)
    .map((key) => ({
      path: key,
      message: `is not a config key of ${CONFIG_NAMESPACE}; did you mean '${closestSection(key)}'? Known keys: ${SECTION_NAMES.join(", ")}`,
    }));
}

/** The valid entries of a list (their own errors are reported already), for checks between sections. */
function validEntries<T>(schema: z.ZodType<T>, list: unknown): T[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((entry: unknown) => {
    const result = schema.safeParse(entry, { error: configErrorMap });
    return result.success ? [result.data] : [];
  });
}

/**
 * What of an invalid section can still be checked against the others: the
 * valid entries of a list section, and of storage's lists.
 */
function salvage(section: SectionName, value: unknown): unknown {
  switch (section) {
    case "tenants":
      return validEntries(tenantSchema, value);
    case "gpuPools":
      return validEntries(gpuPoolSchema, value);
    case "inference":
      return validEntries(inferenceServiceSchema, value);
    case "storage": {
      if (value === null || typeof value !== "object") return undefined;
      const s = value as Record<string, unknown>;
      const lists = {
        classes: validEntries(storageClassSchema, s["classes"]) ?? [],
        volumes: validEntries(volumeSchema, s["volumes"]) ?? [],
        buckets: validEntries(bucketSchema, s["buckets"]) ?? [],
      };
      const rest = storageSchema.safeParse({ encryptionKmsId: s["encryptionKmsId"], cephClusterId: s["cephClusterId"] });
      return rest.success ? { ...rest.data, ...lists } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Validates raw section values (as parsed from YAML or JSON) into a config.
 * Pure: no Pulumi runtime needed, so every rule is testable on plain values.
 * Every problem that can be determined is reported at once: an error in one
 * section does not hide a bad reference into it from another.
 */
export function parseFactoryConfig(raw: Readonly<Record<string, unknown>>): ParseResult {
  const problems: ConfigProblem[] = [...unknownKeyProblems(raw)];
  const parsed: Record<string, unknown> = {};
  let valid = true;
  for (const section of SECTION_NAMES) {
    const result = sectionSchemas[section].safeParse(raw[section], { error: configErrorMap });
    if (result.success) {
      parsed[section] = result.data;
      continue;
    }
    valid = false;
    problems.push(...problemsFromZod(section, result.error));
    const partial = salvage(section, raw[section]);
    if (partial !== undefined) parsed[section] = partial;
  }
  problems.push(...crossCheck(parsed, declaredNames(raw)));
  if (problems.length > 0 || !valid) return { ok: false, problems };
  return { ok: true, config: parsed as FactoryConfig };
}

/** Reads one key; object values arrive from the engine as JSON text. */
function readSection(config: pulumi.Config, key: string): unknown {
  const text = config.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every key the stack sets in our namespace, known or not. */
function keysInNamespace(): string[] {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.keys(pulumi.runtime.allConfig())
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

/**
 * Reads and validates the stack's config, throwing a ConfigError listing
 * every problem, a key set as a secret among them.
 */
export function loadFactoryConfig(config: pulumi.Config = new pulumi.Config(CONFIG_NAMESPACE)): FactoryConfig {
  const keys = new Set([...SECTION_NAMES, ...keysInNamespace()]);
  const secret = secretConfigProblems(CONFIG_NAMESPACE, keys, "storage.backup.credentialSecret");
  const raw: Record<string, unknown> = {};
  for (const key of keys) raw[key] = readSection(config, key);
  const result = parseFactoryConfig(raw);
  const problems = [...secret, ...(result.ok ? [] : result.problems)];
  if (problems.length > 0 || !result.ok) throw new ConfigError(problems);
  return result.config;
}
