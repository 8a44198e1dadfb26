/**
 * `npm run bench`: what the offline plan costs, next to like-for-like floors.
 *
 * Start-up first: the Oslo plan end to end, `npm run plan -- --stack oslo` as
 * a user types it, now and as it was before the start-up work (the project
 * at commit BASELINE, extracted from git beside this one, sharing its
 * node_modules), interleaved, STARTUP_RUNS times each, medians.
 *
 * Then for each size, in two shapes (a synthetic factory: the Oslo site with
 * more tenants, each with one service, or 8 tenants with many services),
 * every measurement runs cold, once, in a fresh process:
 *
 *   plan        the whole plan exactly as `npm run plan` runs it (compiled,
 *               validation on a worker thread): program, validation,
 *               policies, manifests, Helm values, plan.json, report.md;
 *               the median of PLAN_RUNS cold runs
 *   program     the program alone under the mock runtime
 *   guarded     the program with its guard rails on (as the CLI runs it):
 *               every resource held until the site check has judged the
 *               collected site; reports the site check's own time too
 *   replay      the SDK floor: the plan's own resources (types, names, inputs,
 *               parents, from its plan.json) registered with no component code,
 *               all declared at once
 *   stepped     the same, yielding before each tenant, tenant volume, tenant
 *               queue and inference service as the program does: the floor
 *               for the program's declaration strategy
 *   configmaps  the old floor: as many one-key ConfigMaps
 *
 * (replay and configmaps read the same at every shape: they run for the
 * first shape only.) Then fleets of 2, 8 and 32 generated sites, planned by
 * `npm run plan` one by one and in parallel.
 *
 * The program and the floors run compiled too (this script, as `npm run
 * bench` compiles it), with the plan's SDK and V8 settings (the mock
 * runtime, stack capture off, guard rails off, the young generation's size),
 * and time their step alone; the plan is timed as a whole process. Each
 * reports its peak RSS and the heap still retained after a full GC (for the
 * plan, its main thread's heap: the validation worker's is in its RSS only).
 *
 *   npm run bench                  start-up, then about 600, 4,000 and 20,000 resources
 *   npm run bench -- 600 4000      start-up, then chosen sizes
 *   npm run bench -- startup       start-up only
 *   npm run bench -- fleet 2 8     the fleets only
 *   npm run bench -- sizes 600     sizes and fleets, without the start-up runs
 *
 * Prints tables and writes out/bench/bench.md and bench.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { ComponentResourceOptions } from "@pulumi/pulumi";
import { stringify } from "yaml";
import { PLAN_NODE_FLAGS, measureFleet, measurePlanProcess } from "../bench/planProcess";
import { FIRST_SHAPE_ONLY, type FleetRow, KINDS, type Kind, type Row, type Sample, fleetTable, marginal, render, siteCheckTable } from "../bench/report";
import { BENCH_SHAPES, syntheticFactory } from "../bench/synthetic";
import { projectRoot } from "../plan/projectRoot";

const ROOT = projectRoot();


function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("a measuring process needs --expose-gc (the benchmark starts each with it)");
  gc();
  gc();
}

/** A plan.json resource, as far as the replay needs it. */
interface PlannedShape {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent?: string;
  readonly inputs: Record<string, unknown>;
}

/**
 * plan.json lists resources in URN order; a replay must declare each parent
 * before its children, and each component's resources together.
 */
function parentsFirst(resources: readonly PlannedShape[]): PlannedShape[] {
  const urns = new Set(resources.map((r) => r.urn));
  const children = new Map<string, PlannedShape[]>();
  const roots: PlannedShape[] = [];
  for (const r of resources) {
    if (r.parent === undefined || !urns.has(r.parent)) roots.push(r);
    else {
      const siblings = children.get(r.parent);
      if (siblings === undefined) children.set(r.parent, [r]);
      else siblings.push(r);
    }
  }
  const out: PlannedShape[] = [];
  const visit = (r: PlannedShape): void => {
    out.push(r);
    for (const c of children.get(r.urn) ?? []) visit(c);
  };
  for (const r of roots) visit(r);
  return out;
}

/** The program declares a tenant, a tenant's volume and queues, or a service per event-loop turn: the stepped floor yields before each. */
const STEP_BEFORE = new Set([
  "sovereign-ai-factory:tenant:Tenant",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue",
  "sovereign-ai-factory:inference:InferenceService",
]);

/**
 * Loads every module and reads every input a step needs, then returns the
 * step itself (which returns its resource count): the timed part is the work,
 * not module loading, for every kind alike.
 */
async function prepare(kind: Exclude<Kind, "plan">, dir: string): Promise<() => Promise<number>> {
  const stackFile = path.join(dir, "Pulumi.bench.yaml");
  const outDir = path.join(dir, "out");
  const [plan, { main }, pulumi, k8s] = await Promise.all([import("../plan"), import("../program"), import("@pulumi/pulumi"), import("@pulumi/kubernetes")]);
  const config = plan.readStackConfig(stackFile);
  if (kind === "program") {
    return async () => (await plan.runProgram({ stack: "bench", config, program: () => main() })).resources.length;
  }
  if (kind === "guarded") {
    return async () => (await plan.runProgram({ stack: "bench", config, program: () => main({ guardRails: true }), guardRails: true })).resources.length;
  }
  const planned = parentsFirst((JSON.parse(fs.readFileSync(path.join(outDir, "plan.json"), "utf8")) as { resources: PlannedShape[] }).resources);
  // Plain SDK classes, with nothing of ours in them.
  class Component extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts: ComponentResourceOptions) {
      super(type, name, {}, opts);
      this.registerOutputs({});
    }
  }
  class Provider extends pulumi.ProviderResource {}
  class Custom extends pulumi.CustomResource {}
  const replay = async (stepped: boolean) => {
    const byUrn = new Map<string, InstanceType<typeof pulumi.Resource>>();
    for (const r of planned) {
      if (stepped && STEP_BEFORE.has(r.type)) await new Promise<void>((resolve) => setImmediate(resolve));
      const parentResource = r.parent === undefined ? undefined : byUrn.get(r.parent);
      const opts = parentResource === undefined ? {} : { parent: parentResource };
      let resource: InstanceType<typeof pulumi.Resource>;
      if (!r.custom) {
        resource = new Component(r.type, r.name, opts);
      } else if (r.type.startsWith("pulumi:providers:")) {
        resource = new Provider(r.type.slice("pulumi:providers:".length), r.name, r.inputs, opts);
      } else {
        resource = new Custom(r.type, r.name, r.inputs, opts);
      }
      byUrn.set(r.urn, resource);
    }
    return {};
  };
  const configMaps = () => {
    for (let i = 0; i < planned.length; i++) {
      new k8s.core.v1.ConfigMap(`plain-${i}`, { metadata: { name: `plain-${i}`, namespace: "bench" }, data: { k: "v" } });
    }
    return {};
  };
  const program = kind === "replay" ? () => replay(false) : kind === "stepped" ? () => replay(true) : configMaps;
  return async () => (await plan.runProgram({ stack: "bench", config, program })).resources.length;
}

/** The child side: one step, cold, then its figures as a JSON line. */
async function child(kind: Exclude<Kind, "plan">, dir: string): Promise<void> {
  const work = await prepare(kind, dir);
  const start = performance.now();
  const resources = await work();
  const stepMs = performance.now() - start;
  collect();
  const { lastSiteCheckMs } = await import("../guardRails");
  const sample: Omit<Sample, "processMs"> = {
    resources,
    stepMs,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    retainedHeapMb: mb(process.memoryUsage().heapUsed),
    ...(kind === "guarded" ? { siteCheckMs: lastSiteCheckMs() } : {}),
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

/** The whole plan of the stack in `dir`, as `npm run plan` runs it (without npm), as a measured process. */
function measurePlan(dir: string): Sample {
  const outDir = path.join(dir, "out");
  return measurePlanProcess(dir, ["--config", path.join(dir, "Pulumi.bench.yaml"), "--out", outDir], outDir);
}

/**
 * The plan is what the size criteria are about, and one run here varies by
 * up to ±15%: it runs PLAN_RUNS times, each cold in a fresh process, and the
 * run of median time stands for the size (its memory figures with it).
 */
const PLAN_RUNS = 3;

function medianPlan(dir: string): Sample {
  const runs = Array.from({ length: PLAN_RUNS }, () => measurePlan(dir)).sort((a, b) => a.processMs - b.processMs);
  const middle = runs[Math.floor(runs.length / 2)];
  if (middle === undefined) throw new Error("no plan run");
  process.stderr.write(`  plan runs: ${runs.map((r) => (r.processMs / 1000).toFixed(1)).join(", ")} s\n`);
  return middle;
}

function measure(kind: Kind, dir: string): Sample {
  if (kind === "plan") return measurePlan(dir);
  const start = performance.now();
  // This script again, compiled as `npm run bench` runs it, as the plan is.
  const out = execFileSync(process.execPath, ["--expose-gc", ...PLAN_NODE_FLAGS, __filename, "--child", kind, dir], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 16 * 2 ** 20,
  });
  const processMs = performance.now() - start;
  const sample = JSON.parse(out.trim().split("\n").pop() ?? "{}") as Omit<Sample, "processMs">;
  return { ...sample, processMs };
}

/**
 * The project as it was before the start-up work: `npm run plan` was
 * `tsx scripts/plan.ts` (npm, then the tsx CLI, then node), which loaded the
 * SDK with every module it requires before reading its command line.
 */
const BASELINE = "d4db752";
const STARTUP_RUNS = 9;

/** The baseline's files in a temporary folder sharing this node_modules; undefined if git cannot give them. */
function baselineCheckout(): string | undefined {
  const archive = spawnSync("git", ["archive", "--format=tar", BASELINE], { cwd: ROOT, maxBuffer: 512 * 2 ** 20 });
  if (archive.status !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-baseline-"));
  const tar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  if (tar.status !== 0) return undefined;
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

interface StartupCase {
  readonly label: string;
  readonly cwd: string;
  readonly args: readonly string[];
  readonly exitCode: number;
  /** Done before each timed run, untimed. */
  readonly before?: () => void;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Times `npm run --silent plan -- ARGS` in a case's folder. */
function timeNpmPlan(c: StartupCase): number {
  c.before?.();
  const start = performance.now();
  const run = spawnSync("npm", ["run", "--silent", "plan", "--", ...c.args], { cwd: c.cwd, encoding: "utf8" });
  const ms = performance.now() - start;
  if (run.status !== c.exitCode) throw new Error(`${c.label}: exit ${String(run.status)}, expected ${c.exitCode}: ${run.stderr}`);
  return ms;
}

/** The Oslo plan end to end, before and now, interleaved; a Markdown section. */
function startup(): string {
  const baseline = baselineCheckout();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-startup-"));
  const oslo = (where: string) => ["--stack", "oslo", "--out", path.join(out, where)];
  const stamp = path.join(ROOT, "node_modules", ".cache", "sovereign-ai-factory", "scripts-plan.stamp.json");
  const cases: StartupCase[] = [
    ...(baseline === undefined ? [] : [{ label: `before (${BASELINE}: npm, tsx CLI, node)`, cwd: baseline, args: oslo("before"), exitCode: 0 }]),
    { label: "now (npm, node, compiled)", cwd: ROOT, args: oslo("now"), exitCode: 0 },
    {
      label: "now, first run after an edit (compiles first)",
      cwd: ROOT,
      args: oslo("edited"),
      exitCode: 0,
      before: () => {
        fs.rmSync(stamp, { force: true });
      },
    },
    { label: "now, a usage error", cwd: ROOT, args: ["--stak", "oslo"], exitCode: 2 },
  ];
  try {
    process.stderr.write(`start-up: ${STARTUP_RUNS} interleaved runs of ${cases.length} commands...\n`);
    for (const c of cases) timeNpmPlan(c); // warm: tsx's and the compiled plan's caches, the OS file cache
    const times = new Map<StartupCase, number[]>(cases.map((c) => [c, []]));
    for (let i = 0; i < STARTUP_RUNS; i++) for (const c of cases) times.get(c)?.push(timeNpmPlan(c));
    const before = baseline === undefined ? undefined : median(times.get(cases[0] as StartupCase) ?? []);
    const lines = ["| `npm run plan -- --stack oslo` | median (s) | fastest (s) | slowest (s) | of before |", "| --- | ---: | ---: | ---: | ---: |"];
    for (const c of cases) {
      const t = times.get(c) ?? [];
      const m = median(t);
      const share = before === undefined ? "" : (m / before).toFixed(2);
      lines.push(`| ${c.label} | ${(m / 1000).toFixed(2)} | ${(Math.min(...t) / 1000).toFixed(2)} | ${(Math.max(...t) / 1000).toFixed(2)} | ${share} |`);
    }
    if (baseline === undefined) lines.push("", `(commit ${BASELINE} is not in this clone's history: no "before" figure)`);
    const table = lines.join("\n");
    console.log(table);
    return table;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    if (baseline !== undefined) fs.rmSync(baseline, { recursive: true, force: true });
  }
}

/** The guard rails on the Oslo site itself: the program without and with them. */
function osloSiteCheck(): Pick<Row, "program" | "guarded" | "shape"> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-oslo-"));
  try {
    fs.copyFileSync(path.join(ROOT, "Pulumi.oslo.yaml"), path.join(dir, "Pulumi.bench.yaml"));
    return { shape: "Oslo", program: measure("program", dir), guarded: measure("guarded", dir) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every kind at one size of one shape; the first shape also runs the floors that read the same at every shape. */
function measureSize(target: number, shape: keyof typeof BENCH_SHAPES, first: boolean): Row {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${shape}-${target}-`));
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), stringify({ config: syntheticFactory(ROOT, target, BENCH_SHAPES[shape]) }));
    const samples: Partial<Record<Kind, Sample>> = {};
    // The plan first: the replay reads its plan.json.
    for (const kind of KINDS.filter((k) => first || !FIRST_SHAPE_ONLY.includes(k))) {
      process.stderr.write(`about ${target} resources, ${shape}: ${kind}...\n`);
      samples[kind] = kind === "plan" ? medianPlan(dir) : measure(kind, dir);
    }
    return { ...(samples as Omit<Row, "target" | "shape">), target, shape };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The generated fleets the benchmark plans, by number of sites. */
const FLEETS = [2, 8, 32];

function parent(sizes: readonly number[], startupTable: string): void {
  const oslo = osloSiteCheck();
  const shapes = Object.keys(BENCH_SHAPES) as (keyof typeof BENCH_SHAPES)[];
  const rows: Row[] = shapes.flatMap((shape, i) => sizes.map((target) => measureSize(target, shape, i === 0)));
  const fleets: FleetRow[] = FLEETS.map((n) => {
    process.stderr.write(`a fleet of ${n} sites...\n`);
    return measureFleet(n);
  });
  const table = render(rows);
  const notes = marginal(rows);
  const text = [
    "# Offline plan benchmark",
    "",
    `Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}.`,
    "",
    `## Start-up: the Oslo plan end to end (${STARTUP_RUNS} interleaved runs each)`,
    "",
    startupTable,
    "",
    "## The guard rails' site check on the Oslo site",
    "",
    siteCheckTable([oslo]),
    "",
    "## Sizes, in two shapes",
    "",
    `Shapes: tenant-heavy (a tenant per inference service), service-heavy (${BENCH_SHAPES["service-heavy"].tenants} tenants, as many services as the size needs). Every figure is a cold run in a fresh process. "plan" is the whole of \`npm run plan\` for one stack, as it runs (compiled, validating on a worker thread), timed as a process, the median of ${PLAN_RUNS} runs; the others, one run each, run compiled with the plan's SDK and V8 settings (mock runtime, stack capture off, node ${PLAN_NODE_FLAGS.join(" ")}) and time their step alone. Peak RSS is the whole process's (getrusage maxrss, worker threads included); retained heap is the main thread's after a full GC.`,
    "",
    table,
    "",
    ...notes,
    "",
    "## Fleets of generated sites",
    "",
    "`npm run plan` with no `--stack` in a folder of generated stack files (the Oslo and Rjukan sites in turn, each named anew), one by one (`--jobs 1`) and in parallel (one per core), whole processes.",
    "",
    fleetTable(fleets),
    "",
  ].join("\n");
  console.log(siteCheckTable([oslo]));
  console.log(table);
  console.log(notes.join("\n"));
  console.log(fleetTable(fleets));
  const dir = path.join(ROOT, "out", "bench");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "bench.md"), text);
  fs.writeFileSync(path.join(dir, "bench.json"), `${JSON.stringify({ oslo, rows, fleets }, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(ROOT, path.join(dir, "bench.md"))}`);
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  const kind = KINDS.find((k): k is Exclude<Kind, "plan"> => k !== "plan" && k === args[1]);
  if (kind === undefined || args[2] === undefined) throw new Error("usage: bench --child program|guarded|replay|stepped|configmaps DIR");
  void child(kind, args[2]);
} else if (args[0] === "sizes") {
  // Without the start-up runs: npm run bench -- sizes 600 4000
  parent(args.slice(1).map(Number), "(start-up not measured in this run)");
} else if (args[0] === "fleet") {
  // Only the fleets: npm run bench -- fleet [SITES...]
  console.log(fleetTable((args.length > 1 ? args.slice(1).map(Number) : FLEETS).map(measureFleet)));
} else {
  const startupText = startup();
  if (args[0] !== "startup") parent(args.length > 0 ? args.map(Number) : [600, 4000, 20000], startupText);
}
