/**
 * `npm run bench`: the offline plan's cost per resource at about 50, 500 and
 * 5,000 resources, next to the SDK's own floor (the same number of plain
 * resources under the same mocks, with the SDK's default stack capture) and
 * one JSON traversal of every resource. Each size runs in a fresh process so
 * heap figures are its own. Prints a table and writes out/bench/bench.md.
 *
 *   npm run bench                  50, 500, 5000
 *   npm run bench -- 50 500        chosen sizes
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import { syntheticFactory } from "../bench/synthetic";
import { evaluatePolicies, kubernetesObjects, programResources, runProgram, validateObject } from "../plan";
import { main } from "../program";

const ROOT = path.resolve(__dirname, "..");

/** One size's measurements. */
interface Measurement {
  readonly target: number;
  readonly resources: number;
  readonly programMs: number;
  readonly programWithStacksMs: number;
  readonly policyMs: number;
  readonly validateMs: number;
  readonly floorMs: number;
  readonly jsonMs: number;
  readonly peakHeapMb: number;
}

let peakHeap = 0;
function sampleHeap(): void {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}

/**
 * Runs `fn` until the JIT has seen about 5,000 resources' worth of calls, then
 * times one more run: steady-state cost, for every column alike, so a small
 * factory is not measured on cold code.
 */
async function warmTimed<T>(fn: () => Promise<T> | T, resources: number): Promise<[T, number]> {
  const rounds = Math.min(50, Math.ceil(5000 / Math.max(1, resources)));
  for (let i = 0; i < rounds; i++) await fn();
  return timed(fn);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const timer = setInterval(sampleHeap, 20);
  try {
    const value = await fn();
    return [value, Number(process.hrtime.bigint() - start) / 1e6];
  } finally {
    clearInterval(timer);
    sampleHeap();
  }
}

/** The SDK floor: `count` plain ConfigMaps, default SDK settings, same mocks. */
function floorProgram(count: number): () => unknown {
  return () => {
    for (let i = 0; i < count; i++) {
      new k8s.core.v1.ConfigMap(`plain-${i}`, { metadata: { name: `plain-${i}`, namespace: "bench" }, data: { k: "v" } });
    }
    return {};
  };
}

async function measure(target: number): Promise<Measurement> {
  const config = syntheticFactory(ROOT, target);
  const [, programWithStacksMs] = await timed(() => runProgram({ stack: "bench", config, program: main, captureStacks: true }));
  const [run, programMs] = await timed(() => runProgram({ stack: "bench", config, program: main, captureStacks: false }));
  const resources = programResources(run);
  const n = resources.length;
  const [, policyMs] = await warmTimed(() => evaluatePolicies(run.resources), n);
  const [, validateMs] = await warmTimed(() => {
    for (const o of kubernetesObjects(resources)) validateObject(o);
  }, n);
  const [, jsonMs] = await warmTimed(() => {
    for (const r of run.resources) JSON.parse(JSON.stringify(r.inputs));
  }, n);
  const [, floorMs] = await timed(() => runProgram({ stack: "floor", config, program: floorProgram(resources.length) }));
  return {
    target,
    resources: resources.length,
    programMs,
    programWithStacksMs,
    policyMs,
    validateMs,
    floorMs,
    jsonMs,
    peakHeapMb: Math.round(peakHeap / 2 ** 20),
  };
}

function perResource(ms: number, n: number): string {
  return (ms / n).toFixed(3);
}

function render(rows: readonly Measurement[]): string {
  const head = [
    "resources",
    "plan: program (ms/res)",
    "policies (ms/res)",
    "validation (ms/res)",
    "plan total (ms/res)",
    "SDK floor (ms/res)",
    "program, SDK default stacks (ms/res)",
    "JSON traversal (ms/res)",
    "policies / JSON",
    "plan / floor",
    "peak heap (MB)",
  ];
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---:").join(" | ")} |`];
  for (const m of rows) {
    const n = m.resources;
    const total = m.programMs + m.policyMs + m.validateMs;
    lines.push(
      `| ${[
        n,
        perResource(m.programMs, n),
        perResource(m.policyMs, n),
        perResource(m.validateMs, n),
        perResource(total, n),
        perResource(m.floorMs, n),
        perResource(m.programWithStacksMs, n),
        perResource(m.jsonMs, n),
        (m.policyMs / m.jsonMs).toFixed(1),
        (total / m.floorMs).toFixed(2),
        m.peakHeapMb,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

async function child(target: number): Promise<void> {
  process.stdout.write(`${JSON.stringify(await measure(target))}\n`);
}

function parent(sizes: readonly number[]): void {
  const rows: Measurement[] = [];
  for (const size of sizes) {
    process.stderr.write(`measuring about ${size} resources...\n`);
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", String(size)], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 16 * 2 ** 20,
    });
    rows.push(JSON.parse(out.trim().split("\n").pop() ?? "{}") as Measurement);
  }
  const table = render(rows);
  const text = [
    "# Offline plan benchmark",
    "",
    `Node ${process.version}, ${new Date().toISOString()}. Per-resource costs; the plan turns off the SDK's per-resource stack capture, which an offline plan does not need.`,
    "",
    table,
    "",
  ].join("\n");
  console.log(table);
  const dir = path.join(ROOT, "out", "bench");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "bench.md"), text);
  fs.writeFileSync(path.join(dir, "bench.json"), `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(ROOT, path.join(dir, "bench.md"))}`);
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  void child(Number(args[1]));
} else {
  const sizes = args.length > 0 ? args.map(Number) : [50, 500, 5000];
  parent(sizes);
}
