/**
 * The offline plan of one stack: run the real program under the mock runtime
 * with the stack's config; validate every Kubernetes object; evaluate the
 * policy pack on every resource and on the stack; write the manifests,
 * `plan.json` and `report.md`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_NAMESPACE, ConfigError, type FactoryConfig, SECTION_NAMES, parseFactoryConfig } from "../config";
import { type PlanDiff, type PlannedResource, diffPlans } from "./diff";
import { helmReleases, manifestEntries, writeHelmValues, writeManifests } from "./manifests";
import type { RecordedResource } from "./monitor";
import { type PolicyViolation, evaluatePolicies } from "./policies";
import { writeJsonWithArray } from "./planJson";
import { renderReport } from "./report";
import { productionStateBackend } from "./stateBackend";
import { projectRoot } from "./projectRoot";
import { ProgramError, programResources, runProgram } from "./run";
import { ExitCode, UsageError, readStackConfig } from "./stackConfig";
import { type Validator, inThread } from "./validationThread";
import { type EnergyReport, energyReport } from "../components";
import { sovereigntyRecord, sovereigntySection } from "./sovereignty";

export { ExitCode } from "./stackConfig";

/** What to plan. */
export interface PlanOptions {
  /** Stack name. */
  readonly stack: string;
  /** The stack file to read config from. */
  readonly configFile: string;
  /** Directory for `plan.json`, `report.md` and `manifests/`. */
  readonly outDir: string;
  /** The Pulumi program (the function `index.ts` exports). */
  readonly program: () => unknown;
  /** A previous `plan.json` to compare with. */
  readonly diffFile?: string;
  /** Where Kubernetes objects are validated (`npm run plan` uses a worker thread). @default in this thread */
  readonly validator?: Validator;
}

/** A Kubernetes object that fails validation. */
export interface InvalidObject {
  readonly object: string;
  readonly problems: readonly string[];
}

/** The contents of `plan.json`. */
export interface PlanDocument {
  readonly version: 1;
  readonly project: string;
  readonly stack: string;
  readonly configFile: string;
  readonly summary: PlanSummary;
  readonly violations: readonly PolicyViolation[];
  readonly invalidObjects: readonly InvalidObject[];
  readonly diff?: { readonly added: string[]; readonly changed: string[]; readonly removed: string[] };
  readonly outputs: Record<string, unknown>;
  /** The site's EU data-centre indicators (also written alone to `energy-report.json`). */
  readonly sustainability: EnergyReport;
  readonly resources: readonly RecordedResource[];
}

/** Counts a reviewer reads first. */
export interface PlanSummary {
  readonly resources: number;
  readonly kubernetesObjects: number;
  readonly mandatoryViolations: number;
  readonly advisoryViolations: number;
  readonly invalidObjects: number;
  readonly byType: Record<string, number>;
}

/** How a plan ended. */
export type PlanOutcome =
  | { readonly exitCode: 0 | 1 | 2; readonly document: PlanDocument; readonly manifests: readonly string[] }
  | { readonly exitCode: 2 | 3; readonly message: string };

function summarise(resources: readonly RecordedResource[], objects: number, violations: readonly PolicyViolation[], invalid: number): PlanSummary {
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  const mandatory = violations.filter((v) => v.enforcement === "mandatory").length;
  return {
    resources: resources.length,
    kubernetesObjects: objects,
    mandatoryViolations: mandatory,
    advisoryViolations: violations.length - mandatory,
    invalidObjects: invalid,
    byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The validated config, from engine-style config (the program has already accepted it). */
export function factoryConfig(engine: Readonly<Record<string, string>>): FactoryConfig {
  const raw: Record<string, unknown> = {};
  for (const section of SECTION_NAMES) {
    const text = engine[`${CONFIG_NAMESPACE}:${section}`];
    if (text === undefined) continue;
    try {
      raw[section] = JSON.parse(text) as unknown;
    } catch {
      raw[section] = text;
    }
  }
  const result = parseFactoryConfig(raw);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}

/** Reads a previous plan's resources for `--diff`. */
export function readPreviousPlan(file: string): PlannedResource[] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`--diff: cannot read ${file} as JSON`);
  }
  const resources = (doc as { resources?: unknown }).resources;
  if (!Array.isArray(resources)) throw new UsageError(`--diff: ${file} is not a plan.json (no resources list)`);
  return resources as PlannedResource[];
}

async function invalidObjects(resources: readonly RecordedResource[], validator: Validator): Promise<InvalidObject[]> {
  const objects = manifestEntries(resources).map((e) => e.object);
  const problems = await validator.validate(objects);
  return objects.flatMap((object, i) => {
    const found = problems[i] ?? [];
    const where = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
    return found.length === 0 ? [] : [{ object: where, problems: found }];
  });
}

/** Resources sorted by URN (a copy). */
function inUrnOrder(resources: readonly RecordedResource[]): RecordedResource[] {
  return [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

function diffSummary(diff: PlanDiff | undefined): PlanDocument["diff"] {
  if (!diff) return undefined;
  return { added: diff.added.map((r) => r.urn), changed: diff.changed.map((r) => r.urn), removed: diff.removed.map((r) => r.urn) };
}

/** Plans one stack and writes its artefacts; never throws for bad config, never leaves a partial `out/`. */
export async function planStack(options: PlanOptions): Promise<PlanOutcome> {
  const engine = readStackConfig(options.configFile);
  const previous = options.diffFile === undefined ? undefined : readPreviousPlan(options.diffFile);
  let run;
  try {
    run = await runProgram({ stack: options.stack, config: engine, program: options.program, captureStacks: false });
  } catch (err) {
    const cause = err instanceof ProgramError ? err.cause : err;
    if (cause instanceof ConfigError) return { exitCode: ExitCode.usage, message: cause.message };
    return { exitCode: ExitCode.internal, message: `the program failed: ${describeError(cause)}` };
  }
  // Everything is written to a folder beside the target and moved into place
  // only when complete: a failure leaves the previous plan (or nothing).
  const staging = `${options.outDir.replace(/[/\\]+$/, "")}.partial-${process.pid}`;
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    const outcome = await writePlan({ ...options, outDir: staging }, engine, run, previous);
    fs.rmSync(options.outDir, { recursive: true, force: true });
    fs.renameSync(staging, options.outDir);
    return outcome;
  } catch (err) {
    return { exitCode: ExitCode.internal, message: `the plan failed: ${describeError(err)}` };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** Validates, runs the policies and writes every artefact into `options.outDir`. */
async function writePlan(
  options: PlanOptions,
  engine: Readonly<Record<string, string>>,
  run: Awaited<ReturnType<typeof runProgram>>,
  previous: PlannedResource[] | undefined,
): Promise<{ exitCode: 0 | 1 | 2; document: PlanDocument; manifests: string[] }> {
  const resources = programResources(run);
  // Validation may run on another thread while this one runs the policies and
  // writes everything that does not depend on it.
  const validating = invalidObjects(resources, options.validator ?? inThread);
  validating.catch(() => undefined); // awaited below; not unhandled if this thread throws first
  // In URN order, as plan.json lists them: the order registrations happen to
  // settle in is the SDK's scheduling, and must not order the violations.
  const violations = await evaluatePolicies(inUrnOrder(run.resources));
  const diff = previous === undefined ? undefined : diffPlans(previous, resources);
  const entries = manifestEntries(resources);
  fs.mkdirSync(options.outDir, { recursive: true });
  const manifests = writeManifests(path.join(options.outDir, "manifests"), entries);
  const releases = helmReleases(resources);
  writeHelmValues(path.join(options.outDir, "helm"), releases);
  const config = factoryConfig(engine);
  const sustainability = energyReport(config);
  fs.writeFileSync(path.join(options.outDir, "energy-report.json"), `${JSON.stringify(sustainability, null, 2)}\n`);
  const invalid = await validating;
  const document: PlanDocument = {
    version: 1,
    project: "sovereign-ai-factory",
    stack: options.stack,
    configFile: path.basename(options.configFile),
    summary: summarise(resources, entries.length, violations, invalid.length),
    violations,
    invalidObjects: invalid,
    ...(diff === undefined ? {} : { diff: diffSummary(diff) }),
    outputs: run.outputs,
    sustainability,
    // In URN order: the order registrations happen to settle in is the SDK's
    // scheduling, not the program's, and must not show in the plan.
    resources: inUrnOrder(resources),
  };
  writeJsonWithArray(path.join(options.outDir, "plan.json"), document, "resources");
  const report = renderReport({
    stack: options.stack,
    stateBackend: productionStateBackend(options.stack, projectRoot()),
    config,
    energy: sustainability,
    violations,
    invalidObjects: invalid,
    resourceCount: resources.length,
    objectCount: entries.length,
    releases,
    ...(diff === undefined ? {} : { diff }),
  });
  const sovereignty = sovereigntyRecord(options.stack, config);
  fs.writeFileSync(path.join(options.outDir, "sovereignty.json"), `${JSON.stringify(sovereignty, null, 2)}\n`);
  fs.writeFileSync(path.join(options.outDir, "report.md"), `${report.replace(/\n*$/, "\n\n")}${sovereigntySection(sovereignty).join("\n")}`);
  const exitCode = invalid.length > 0 ? ExitCode.usage : document.summary.mandatoryViolations > 0 ? ExitCode.violations : ExitCode.ok;
  return { exitCode, document, manifests };
}
