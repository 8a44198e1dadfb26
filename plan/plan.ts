/**
 * The offline plan of one stack: run the real program under the mock runtime
 * with the stack's config, then write its Kubernetes manifests and `plan.json`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../config";
import { kubernetesObjects, manifestEntries, writeManifests } from "./manifests";
import type { RecordedResource } from "./monitor";
import { ProgramError, programResources, runProgram } from "./run";
import { readStackConfig } from "./stackConfig";

/** Exit codes of `npm run plan`; other tools depend on them. */
export const ExitCode = {
  /** Planned; no mandatory policy violated. */
  ok: 0,
  /** Planned; a mandatory policy is violated. */
  violations: 1,
  /** Invalid config or command line; nothing planned. */
  usage: 2,
  /** The program itself failed (a bug, not a config problem). */
  internal: 3,
} as const;

/** What to plan. */
export interface PlanOptions {
  /** Stack name. */
  readonly stack: string;
  /** The stack file to read config from. */
  readonly configFile: string;
  /** Directory for `plan.json` and `manifests/`. */
  readonly outDir: string;
  /** The Pulumi program (the function `index.ts` exports). */
  readonly program: () => unknown;
}

/** The contents of `plan.json`. */
export interface PlanDocument {
  readonly version: 1;
  readonly project: string;
  readonly stack: string;
  readonly configFile: string;
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  readonly summary: PlanSummary;
}

/** Counts a reviewer reads first. */
export interface PlanSummary {
  readonly resources: number;
  readonly kubernetesObjects: number;
  readonly byType: Record<string, number>;
}

/** How a plan ended. */
export type PlanOutcome =
  | { readonly exitCode: 0 | 1; readonly document: PlanDocument; readonly manifests: readonly string[] }
  | { readonly exitCode: 2 | 3; readonly message: string };

function summarise(resources: readonly RecordedResource[]): PlanSummary {
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    resources: resources.length,
    kubernetesObjects: kubernetesObjects(resources).length,
    byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** Plans one stack and writes its artefacts; never throws for bad config. */
export async function planStack(options: PlanOptions): Promise<PlanOutcome> {
  const config = readStackConfig(options.configFile);
  let run;
  try {
    run = await runProgram({ stack: options.stack, config, program: options.program });
  } catch (err) {
    const cause = err instanceof ProgramError ? err.cause : err;
    if (cause instanceof ConfigError) return { exitCode: ExitCode.usage, message: cause.message };
    const message = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
    return { exitCode: ExitCode.internal, message: `the program failed: ${message}` };
  }
  const resources = programResources(run);
  fs.mkdirSync(options.outDir, { recursive: true });
  const manifests = writeManifests(path.join(options.outDir, "manifests"), manifestEntries(resources));
  const document: PlanDocument = {
    version: 1,
    project: "sovereign-ai-factory",
    stack: options.stack,
    configFile: path.basename(options.configFile),
    resources,
    outputs: run.outputs,
    summary: summarise(resources),
  };
  fs.writeFileSync(path.join(options.outDir, "plan.json"), `${JSON.stringify(document, null, 2)}\n`);
  return { exitCode: ExitCode.ok, document, manifests };
}
