/**
 * Reading and validating a site's config: the edge where untyped values from
 * `pulumi.Config` become a trusted `FactoryConfig`. Nothing is declared until
 * this has passed, so an invalid config registers no resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { crossCheck } from "./crossChecks";
import { type ConfigProblem, configErrorMap, problemsFromZod } from "./problems";
import { type FactoryConfig, type SectionName, sectionSchemas } from "./schema";

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

/**
 * Validates raw section values (as parsed from YAML or JSON) into a config.
 * Pure: no Pulumi runtime needed, so every rule is testable on plain values.
 */
export function parseFactoryConfig(raw: Readonly<Partial<Record<SectionName, unknown>>>): ParseResult {
  const problems: ConfigProblem[] = [];
  const parsed: Record<string, unknown> = {};
  for (const section of SECTION_NAMES) {
    const result = sectionSchemas[section].safeParse(raw[section], { error: configErrorMap });
    if (result.success) parsed[section] = result.data;
    else problems.push(...problemsFromZod(section, result.error));
  }
  problems.push(...crossCheck(parsed));
  if (problems.length > 0) return { ok: false, problems };
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

/** Reads and validates the stack's config, throwing a ConfigError listing every problem. */
export function loadFactoryConfig(config: pulumi.Config = new pulumi.Config(CONFIG_NAMESPACE)): FactoryConfig {
  const raw: Partial<Record<SectionName, unknown>> = {};
  for (const section of SECTION_NAMES) raw[section] = readSection(config, section);
  const result = parseFactoryConfig(raw);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}
