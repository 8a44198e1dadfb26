/**
 * `npm run plan`: plan stacks offline, with no Pulumi CLI, cluster or account.
 *
 *   npm run plan                         every Pulumi.<stack>.yaml here
 *   npm run plan -- --stack oslo         Pulumi.oslo.yaml
 *   npm run plan -- --config FILE        any stack file
 *   npm run plan -- --stack oslo --out DIR
 *   npm run plan -- --stack oslo --diff previous/plan.json
 *   npm run plan -- --diff-dir base/out  every stack, each against base/out/<stack>/plan.json
 *   npm run plan -- --jobs 1             every stack, one at a time
 *
 * Planning every stack also checks the fleet rules and writes out/fleet.md.
 * The stacks are planned in parallel, at most one per core (`--jobs N`: at
 * most N), each on a worker thread (plan/sitePool.ts); what is printed and
 * written is the same as planned one by one.
 *
 * Exit: 0 planned, 1 a mandatory policy is violated, 2 config or usage error
 * (including a config that yields an invalid Kubernetes object), 3 the
 * program itself failed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { ControlPlane, FleetSite, PlanOutcome } from "../plan";
import { deferUnusedSdkModules } from "../plan/deferModules";
import { ExitCode, UsageError } from "../plan/exitCodes";
import { type SiteJob, type SiteResult, isPlanningWorker, planSitesInParallel, planningThreads, servePlanning } from "../plan/sitePool";

/**
 * The planner, loaded only once the command line has been read: a usage
 * error answers at once, without loading the Pulumi SDK. Modules the SDK
 * loads for features the plan never uses are deferred (plan/deferModules.ts).
 */
async function planner(validation: "worker" | "here" = "worker") {
  // Compiled (`npm run plan`), Kubernetes objects are validated on the other
  // core: this script again, as a worker thread, compiles the schemas while
  // this thread loads the SDK. Run from its TypeScript source under a loader,
  // which a worker thread does not inherit, validation stays in this thread.
  const { inThread, validationThread } = await import("../plan/validationThread");
  const validator = validation === "here" || __filename.endsWith(".ts") ? inThread : validationThread(__filename);
  deferUnusedSdkModules();
  // Module by module, not the plan/ index: with the worker, this thread
  // never loads the validator.
  const [plan, run, manifests, fleetRules, stackConfig, site, fleet, pack] = await Promise.all([
    import("../plan/plan"),
    import("../plan/run"),
    import("../plan/manifests"),
    import("../plan/fleet"),
    import("../plan/stackConfig"),
    import("../program"),
    import("../fleet/program"),
    import("../plan/policies"),
  ]);
  return { ...plan, ...run, ...manifests, ...fleetRules, ...stackConfig, validator, main: site.main, fleetMain: fleet.main, fleetEndpoints: fleet.endpointsOfConfig, evaluatePolicies: pack.evaluatePolicies };
}
type Planner = Awaited<ReturnType<typeof planner>>;

const USAGE = "usage: npm run plan -- [--stack NAME | --config FILE] [--out DIR] [--diff PLAN.json] | [--diff-dir DIR] [--jobs N]";

interface Target {
  /** One of every stack of the project (so the fleet is planned too). */
  readonly partOfFleet: boolean;
  readonly stack: string;
  readonly configFile: string;
  readonly outDir: string;
  readonly diffFile?: string;
}

/** The stack name of a stack file: `Pulumi.oslo.yaml` is `oslo`. */
function stackOfFile(file: string): string {
  const base = path.basename(file);
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(base);
  return match?.[1] ?? base.replace(/\.ya?ml$/, "");
}

/** What the command line asks for: the stacks, and how many to plan at once. */
interface Request {
  readonly targets: readonly Target[];
  readonly jobs: number;
}

function request(argv: readonly string[]): Request {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        out: { type: "string" },
        diff: { type: "string" },
        "diff-dir": { type: "string" },
        jobs: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const jobs = values.jobs === undefined ? planningThreads(Number.MAX_SAFE_INTEGER) : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1, not '${values.jobs ?? ""}'\n${USAGE}`);
  return { targets: targets(values), jobs };
}

function targets(values: { stack?: string; config?: string; out?: string; diff?: string; "diff-dir"?: string }): Target[] {
  if (values.stack !== undefined || values.config !== undefined) {
    const configFile = values.config ?? `Pulumi.${values.stack}.yaml`;
    const stack = values.stack ?? stackOfFile(configFile);
    if (!fs.existsSync(configFile)) throw new UsageError(`no stack file ${configFile}\n${USAGE}`);
    if (values["diff-dir"] !== undefined) throw new UsageError(`--diff-dir plans every stack; leave out --stack and --config\n${USAGE}`);
    const diff = values.diff === undefined ? {} : { diffFile: values.diff };
    return [{ partOfFleet: false, stack, configFile, outDir: values.out ?? path.join("out", stack), ...diff }];
  }
  if (values.diff !== undefined) throw new UsageError(`--diff needs --stack or --config\n${USAGE}`);
  const diffDir = values["diff-dir"];
  const files = fs.readdirSync(".").filter((f) => /^Pulumi\..+\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new UsageError(`no Pulumi.<stack>.yaml in ${process.cwd()}\n${USAGE}`);
  if (values.out !== undefined && files.length > 1) throw new UsageError(`--out needs --stack or --config\n${USAGE}`);
  return files.map((f) => {
    const stack = stackOfFile(f);
    const previous = diffDir === undefined ? undefined : path.join(diffDir, stack, "plan.json");
    const diff = previous !== undefined && fs.existsSync(previous) ? { diffFile: previous } : {};
    return { partOfFleet: true, stack, configFile: f, outDir: values.out ?? path.join("out", stack), ...diff };
  });
}

/** The fleet project (`fleet/`) under the mock runtime: its Stacks, checked against the operator's schema, and its endpoints. */
async function planControlPlane(p: Planner): Promise<ControlPlane> {
  const { kubernetesObjects, manifestEntries, programResources, readStackConfig, runProgram, writeManifests, ProgramError, fleetMain, validator } = p;
  const file = path.join("fleet", "Pulumi.management.yaml");
  const config = readStackConfig(file);
  const endpoints = p.fleetEndpoints(config) ?? [];
  try {
    const run = await runProgram({ stack: "management", project: "sovereign-ai-factory-fleet", config, program: fleetMain, captureStacks: false });
    const objects = kubernetesObjects(programResources(run));
    writeManifests(path.join("out", "fleet", "manifests"), manifestEntries(programResources(run)));
    const found = await validator.validate(objects);
    const invalid = objects.flatMap((o, i) => (found[i] ?? []).map((p) => `${o.kind} ${o.metadata.name}: ${p}`));
    // The pack on the fleet's own resources, as `pulumi up --policy-pack policies` in fleet/ runs it.
    const mandatory = (await p.evaluatePolicies(run.resources)).filter((v) => v.enforcement === "mandatory");
    const problems = [...invalid, ...mandatory.map((v) => `[${v.policy}] ${v.message}`)];
    const stacks = objects
      .filter((o) => o.kind === "Stack")
      .map((o) => {
        const spec = o["spec"] as { prerequisites?: { name: string }[]; commit?: string; branch?: string; projectRepo?: string };
        return { stack: o.metadata.name, waitsFor: (spec.prerequisites ?? []).map((p) => p.name), source: `${spec.projectRepo ?? ""} @ ${spec.commit ?? spec.branch ?? ""}` };
      });
    return { stacks, problems, endpoints, configError: false };
  } catch (err) {
    const cause = err instanceof ProgramError ? err.cause : err;
    const configError = cause instanceof Error && cause.name === "ConfigError";
    return { stacks: [], problems: [`the fleet project did not plan: ${cause instanceof Error ? cause.message : String(cause)}`], endpoints, configError };
  }
}

/** With every site planned: the fleet rules, the fleet project, and `out/fleet.md`. */
async function planFleet(p: Planner, sites: readonly FleetSite[]): Promise<number> {
  const { fleetProblems, fleetReport } = p;
  const problems = fleetProblems(sites);
  const plane = fs.existsSync(path.join("fleet", "Pulumi.management.yaml")) ? await planControlPlane(p) : undefined;
  fs.mkdirSync("out", { recursive: true });
  fs.writeFileSync(path.join("out", "fleet.md"), fleetReport(sites, problems, plane));
  const broken = problems.length + (plane?.problems.length ?? 0);
  console.log(`fleet: ${sites.length} sites, ${plane?.stacks.length ?? 0} operator Stacks, ${broken} problem(s) -> out/fleet.md`);
  for (const p of problems) console.error(`  [fleet:${p.rule}] ${p.message}`);
  for (const p of plane?.problems ?? []) console.error(`  [fleet] ${p}`);
  // A fleet config that breaks its rules is a config error, as a site's is.
  if (plane?.configError === true) return ExitCode.usage;
  return broken > 0 ? ExitCode.violations : ExitCode.ok;
}

/** What a site's plan prints, and what the fleet rules need of it. */
function siteResult(target: SiteJob, outcome: PlanOutcome): SiteResult {
  if (!("document" in outcome)) return { exitCode: outcome.exitCode, out: [], err: [`${target.stack}: ${outcome.message}`] };
  const { summary: s, violations, invalidObjects } = outcome.document;
  const out = [
    `${target.stack}: ${s.resources} resources, ${s.kubernetesObjects} Kubernetes objects, ` +
      `${s.mandatoryViolations} mandatory and ${s.advisoryViolations} advisory violations -> ${target.outDir}`,
  ];
  const err = [
    ...violations.filter((x) => x.enforcement === "mandatory").map((v) => `  [${v.policy}] ${v.message}`),
    ...invalidObjects.map((o) => `  [invalid] ${o.object}: ${o.problems.join("; ")}`),
  ];
  return { exitCode: outcome.exitCode, out, err, violations };
}

function print(result: SiteResult): void {
  for (const line of result.out) console.log(line);
  for (const line of result.err) console.error(line);
}

/** The job a target is for a planning thread. */
function jobOf(t: Target): SiteJob {
  return { stack: t.stack, configFile: t.configFile, outDir: t.outDir, ...(t.diffFile === undefined ? {} : { diffFile: t.diffFile }) };
}

async function planAll(argv: readonly string[]): Promise<number> {
  const { targets: all, jobs } = request(argv);
  // Compiled (`npm run plan`), several stacks are planned on worker threads;
  // from the TypeScript sources under a loader (which a worker thread does
  // not inherit) they are planned here, one by one.
  if (all.length > 1 && planningThreads(all.length, jobs) > 1 && !__filename.endsWith(".ts")) return planInParallel(all, jobs);
  let worst: number = ExitCode.ok;
  const p = await planner();
  const { factoryConfig, planStack, readStackConfig } = p;
  // The program as the plan runs it: the plan evaluates the whole pack itself.
  const program = () => p.main();
  const fleet: FleetSite[] = [];
  for (const target of all) {
    const result = siteResult(target, await planStack({ ...target, program, validator: p.validator }));
    print(result);
    if (result.violations !== undefined) fleet.push({ stack: target.stack, config: factoryConfig(readStackConfig(target.configFile)), violations: result.violations });
    worst = Math.max(worst, result.exitCode);
  }
  // The whole fleet: every site of the project, planned together.
  if (all.every((t) => t.partOfFleet) && fleet.length === all.length) worst = Math.max(worst, await planFleet(p, fleet));
  await p.validator.close();
  return worst;
}

/**
 * Every stack on planning threads, at most `jobs` at once, this one among
 * them; then the fleet here, as `planAll` does it. With every core
 * planning, each thread validates its own objects (no validation worker).
 */
async function planInParallel(all: readonly Target[], jobs: number): Promise<number> {
  // Loads while the planning threads start (the imports run after this turn).
  const loading = planner("here");
  const planHere = async (job: SiteJob) => {
    const p = await loading;
    return siteResult(job, await p.planStack({ ...job, program: () => p.main(), validator: p.validator }));
  };
  const results = await planSitesInParallel(__filename, all.map(jobOf), jobs, (_, r) => { print(r); }, planHere);
  let worst = Math.max(ExitCode.ok, ...results.map((r) => r.exitCode));
  const p = await loading;
  const fleet = all.flatMap((t, i) => {
    const violations = results[i]?.violations;
    return violations === undefined ? [] : [{ stack: t.stack, config: p.factoryConfig(p.readStackConfig(t.configFile)), violations }];
  });
  if (all.every((t) => t.partOfFleet) && fleet.length === all.length) worst = Math.max(worst, await planFleet(p, fleet));
  await p.validator.close();
  return worst;
}

/** This script as a planning thread (plan/sitePool.ts): plan the sites it is given, as `planAll` would. */
async function serveAsPlanner(): Promise<void> {
  deferUnusedSdkModules();
  const [{ planStack }, { inThread }, site] = await Promise.all([import("../plan/plan"), import("../plan/validationThread"), import("../program")]);
  if (parentPort === null) throw new Error("scripts/plan.ts plans sites on a thread only for the main thread");
  const program = () => site.main();
  servePlanning(parentPort, async (job) => siteResult(job, await planStack({ ...job, program, validator: inThread })));
}

/** This script as the validation worker (plan/validationThread.ts): answer, never plan. */
async function serveAsWorker(): Promise<void> {
  const { isValidationWorker, serveValidation } = await import("../plan/validationThread");
  if (parentPort === null || !isValidationWorker(workerData)) throw new Error("scripts/plan.ts runs as a worker only for validation");
  await serveValidation(parentPort, workerData);
}

if (isMainThread) {
  planAll(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) {
        console.error(err.message);
        process.exit(ExitCode.usage);
      }
      console.error(err);
      process.exit(ExitCode.internal);
    },
  );
} else if (isPlanningWorker(workerData)) {
  // A failure here is the worker's error event in the main thread, which fails its site.
  void serveAsPlanner();
} else {
  // A failure here is the worker's error event in the main thread, which fails the plan.
  void serveAsWorker();
}
