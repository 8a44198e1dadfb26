/**
 * `npm run bench`: what the offline plan costs, next to like-for-like floors.
 *
 * For each size (a synthetic factory: the Oslo site with more tenants), every
 * measurement runs cold, once, in a fresh process, with the same SDK settings
 * as `npm run plan` (the mock runtime, stack capture off, guard rails off):
 *
 *   plan        the whole plan as `npm run plan` runs it: program, validation,
 *               policies, manifests, Helm values, plan.json, report.md
 *   program     the program alone under the mock runtime
 *   replay      the SDK floor: the plan's own resources (types, names, inputs,
 *               parents, from its plan.json) registered with no component code,
 *               all declared at once
 *   stepped     the same, yielding before each inference service as the
 *               program does: the floor for the program's declaration strategy
 *   configmaps  the old floor: as many one-key ConfigMaps
 *
 * Each process reports its step's time, its peak RSS, and the heap still
 * retained after a full GC once the step's result is released; the parent
 * also times the whole process (start-up included).
 *
 *   npm run bench                  about 600, 4,000 and 20,000 resources
 *   npm run bench -- 600 4000      chosen sizes
 *
 * Prints a table and writes out/bench/bench.md and bench.json.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { ComponentResourceOptions } from "@pulumi/pulumi";
import { stringify } from "yaml";
import { syntheticFactory } from "../bench/synthetic";

const ROOT = path.resolve(__dirname, "..");
const KINDS = ["plan", "program", "replay", "stepped", "configmaps"] as const;
type Kind = (typeof KINDS)[number];

/** What one measuring process reports. */
interface Sample {
  readonly resources: number;
  /** The step alone (modules already loaded). */
  readonly stepMs: number;
  /** The whole process, start-up included, as the parent saw it. */
  readonly processMs: number;
  readonly peakRssMb: number;
  readonly retainedHeapMb: number;
}

type Row = { readonly target: number } & Record<Kind, Sample>;

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run the benchmark with --expose-gc (npm run bench does)");
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

/**
 * Loads every module and reads every input a step needs, then returns the
 * step itself (which returns its resource count): the timed part is the work,
 * not module loading, for every kind alike.
 */
async function prepare(kind: Kind, dir: string): Promise<() => Promise<number>> {
  const stackFile = path.join(dir, "Pulumi.bench.yaml");
  const outDir = path.join(dir, "out");
  const [plan, { main }, pulumi, k8s] = await Promise.all([import("../plan"), import("../program"), import("@pulumi/pulumi"), import("@pulumi/kubernetes")]);
  const config = plan.readStackConfig(stackFile);
  if (kind === "plan") {
    return async () => {
      const outcome = await plan.planStack({ stack: "bench", configFile: stackFile, outDir, program: () => main() });
      if (!("document" in outcome)) throw new Error(outcome.message);
      return outcome.document.summary.resources;
    };
  }
  if (kind === "program") {
    return async () => (await plan.runProgram({ stack: "bench", config, program: () => main() })).resources.length;
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
      if (stepped && r.type === "sovereign-ai-factory:inference:InferenceService") await new Promise<void>((resolve) => setImmediate(resolve));
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
async function child(kind: Kind, dir: string): Promise<void> {
  const work = await prepare(kind, dir);
  const start = performance.now();
  const resources = await work();
  const stepMs = performance.now() - start;
  collect();
  const sample: Omit<Sample, "processMs"> = {
    resources,
    stepMs,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    retainedHeapMb: mb(process.memoryUsage().heapUsed),
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

function measure(kind: Kind, dir: string): Sample {
  const start = performance.now();
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", kind, dir], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 16 * 2 ** 20,
  });
  const processMs = performance.now() - start;
  const sample = JSON.parse(out.trim().split("\n").pop() ?? "{}") as Omit<Sample, "processMs">;
  return { ...sample, processMs };
}

function perResource(ms: number, n: number): string {
  return (ms / n).toFixed(3);
}

function render(rows: readonly Row[]): string {
  const head = [
    "resources",
    "plan: process (s)",
    "plan (ms/res)",
    "program (ms/res)",
    "floor, same resources (ms/res)",
    "floor, same resources, stepped (ms/res)",
    "floor, ConfigMaps (ms/res)",
    "program / stepped floor",
    "plan peak RSS (MB)",
    "plan retained heap (MB)",
    "program peak RSS (MB)",
    "floor peak RSS (MB)",
    "stepped floor peak RSS (MB)",
  ];
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---:").join(" | ")} |`];
  for (const r of rows) {
    const n = r.plan.resources;
    lines.push(
      `| ${[
        n,
        (r.plan.processMs / 1000).toFixed(1),
        perResource(r.plan.stepMs, n),
        perResource(r.program.stepMs, r.program.resources),
        perResource(r.replay.stepMs, r.replay.resources),
        perResource(r.stepped.stepMs, r.stepped.resources),
        perResource(r.configmaps.stepMs, r.configmaps.resources),
        (r.program.stepMs / r.program.resources / (r.stepped.stepMs / r.stepped.resources)).toFixed(2),
        r.plan.peakRssMb,
        r.plan.retainedHeapMb,
        r.program.peakRssMb,
        r.replay.peakRssMb,
        r.stepped.peakRssMb,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** The plan's marginal cost per resource between consecutive sizes. */
function marginal(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    if (a === undefined || b === undefined) continue;
    const cost = (b.plan.stepMs - a.plan.stepMs) / (b.plan.resources - a.plan.resources);
    out.push(`- plan, ${a.plan.resources} to ${b.plan.resources} resources: ${cost.toFixed(3)} ms per added resource`);
  }
  return out;
}

function parent(sizes: readonly number[]): void {
  const rows: Row[] = [];
  for (const target of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${target}-`));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), stringify({ config: syntheticFactory(ROOT, target) }));
      const samples: Partial<Record<Kind, Sample>> = {};
      // The plan first: the replay reads its plan.json.
      for (const kind of KINDS) {
        process.stderr.write(`about ${target} resources: ${kind}...\n`);
        samples[kind] = measure(kind, dir);
      }
      rows.push({ target, ...(samples as Record<Kind, Sample>) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const table = render(rows);
  const notes = marginal(rows);
  const text = [
    "# Offline plan benchmark",
    "",
    `Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}. Every figure is one cold run in a fresh process, with the plan's SDK settings (mock runtime, stack capture off). "plan" is the whole of \`npm run plan\` for one stack; its process time includes start-up.`,
    "",
    table,
    "",
    ...notes,
    "",
  ].join("\n");
  console.log(table);
  console.log(notes.join("\n"));
  const dir = path.join(ROOT, "out", "bench");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "bench.md"), text);
  fs.writeFileSync(path.join(dir, "bench.json"), `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(ROOT, path.join(dir, "bench.md"))}`);
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  const kind = args[1] as Kind;
  if (!KINDS.includes(kind) || args[2] === undefined) throw new Error(`usage: bench --child ${KINDS.join("|")} DIR`);
  void child(kind, args[2]);
} else {
  const sizes = args.length > 0 ? args.map(Number) : [600, 4000, 20000];
  parent(sizes);
}
