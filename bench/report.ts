/**
 * The benchmark's figures and how they are printed (scripts/bench.ts
 * measures them).
 */

/** What the benchmark runs at each size and shape. */
export const KINDS = ["plan", "program", "guarded", "stepped", "replay", "configmaps"] as const;
export type Kind = (typeof KINDS)[number];
/** The floors that read the same at every shape: run for the first shape only. */
export const FIRST_SHAPE_ONLY: readonly Kind[] = ["replay", "configmaps"];

/** What one measuring process reports. */
export interface Sample {
  readonly resources: number;
  /** The step alone (modules already loaded); for the plan, the whole process. */
  readonly stepMs: number;
  /** The whole process, start-up included, as the parent saw it. */
  readonly processMs: number;
  /** The process's peak resident set (getrusage's maxrss, as `/usr/bin/time` reports it): every thread, the validation worker's included. */
  readonly peakRssMb: number;
  /** The main thread's heap still retained after a full GC. */
  readonly retainedHeapMb: number;
  /** The guard rails' site check alone (the stack policies over the collected site), for the guarded program. */
  readonly siteCheckMs?: number;
}

type Always = "plan" | "program" | "guarded" | "stepped";
/** One size of one shape: every kind's sample (the first-shape-only floors may be absent). */
export type Row = { readonly target: number; readonly shape: string } & Record<Always, Sample> & Partial<Record<Exclude<Kind, Always>, Sample>>;

/** One fleet of generated sites, planned one by one and in parallel. */
export interface FleetRow {
  readonly sites: number;
  readonly sequential: Sample;
  readonly parallel: Sample;
  /** Whether every output file and fleet.md were byte-identical. */
  readonly identical: boolean;
}

function perResource(ms: number, n: number): string {
  return (ms / n).toFixed(3);
}

/** The columns, in order: the plan, the program, then the floors. */
const COLUMNS: readonly (readonly [Kind, string])[] = [
  ["plan", "plan"],
  ["program", "program"],
  ["stepped", "stepped floor"],
  ["replay", "floor, all at once"],
  ["configmaps", "floor, ConfigMaps"],
];

const NONE = "–";

function markdownTable(head: readonly string[], body: readonly (readonly (string | number)[])[]): string {
  return [`| ${head.join(" | ")} |`, `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...body.map((cells) => `| ${cells.join(" | ")} |`)].join("\n");
}

function cells(s: Sample | undefined, f: (s: Sample) => readonly (string | number)[], width: number): (string | number)[] {
  return s === undefined ? Array.from({ length: width }, () => NONE) : [...f(s)];
}

/**
 * Two tables: time (each kind's wall time and cost per resource: the
 * plan's as a whole process, the others' for their step) and memory (each
 * kind's peak RSS and retained heap), a row per shape and size.
 */
export function render(rows: readonly Row[]): string {
  const time = markdownTable(
    ["shape", "resources", ...COLUMNS.flatMap(([, label]) => [`${label} (s)`, `${label} (ms/res)`]), "program / stepped floor"],
    rows.map((r) => [
      r.shape,
      r.plan.resources,
      ...COLUMNS.flatMap(([kind]) => cells(r[kind], (s) => [(s.stepMs / 1000).toFixed(1), perResource(s.stepMs, s.resources)], 2)),
      (r.program.stepMs / r.program.resources / (r.stepped.stepMs / r.stepped.resources)).toFixed(2),
    ]),
  );
  const memory = markdownTable(
    ["shape", "resources", ...COLUMNS.map(([, label]) => `${label}: peak RSS (MB)`), ...COLUMNS.map(([, label]) => `${label}: retained heap (MB)`)],
    rows.map((r) => [
      r.shape,
      r.plan.resources,
      ...COLUMNS.flatMap(([kind]) => cells(r[kind], (s) => [s.peakRssMb], 1)),
      ...COLUMNS.flatMap(([kind]) => cells(r[kind], (s) => [s.retainedHeapMb], 1)),
    ]),
  );
  return `${time}\n\n${memory}\n\n${siteCheckTable(rows)}`;
}

/**
 * The guard rails' cost: the program with its guard rails on (every resource
 * held until the site is judged), the site check alone, and the check's
 * share of the program's own time.
 */
export function siteCheckTable(rows: readonly (Pick<Row, "program" | "guarded"> & { readonly shape: string })[]): string {
  return markdownTable(
    ["shape", "resources", "program (s)", "program with guard rails (s)", "site check (s)", "site check / program", "program: peak RSS (MB)", "guarded: peak RSS (MB)"],
    rows.map((r) => [
      r.shape,
      r.guarded.resources,
      (r.program.stepMs / 1000).toFixed(2),
      (r.guarded.stepMs / 1000).toFixed(2),
      ((r.guarded.siteCheckMs ?? 0) / 1000).toFixed(3),
      ((r.guarded.siteCheckMs ?? 0) / r.program.stepMs).toFixed(3),
      r.program.peakRssMb,
      r.guarded.peakRssMb,
    ]),
  );
}

/** The fleets: every site planned one by one (`--jobs 1`) and in parallel, whole processes. */
export function fleetTable(rows: readonly FleetRow[]): string {
  return markdownTable(
    ["sites", "resources", "one by one (s)", "in parallel (s)", "parallel / one by one", "one by one: peak RSS (MB)", "in parallel: peak RSS (MB)", "outputs and fleet.md identical"],
    rows.map((r) => [
      r.sites,
      r.sequential.resources,
      (r.sequential.processMs / 1000).toFixed(1),
      (r.parallel.processMs / 1000).toFixed(1),
      (r.parallel.processMs / r.sequential.processMs).toFixed(2),
      r.sequential.peakRssMb,
      r.parallel.peakRssMb,
      r.identical ? "yes" : "**no**",
    ]),
  );
}

/** The plan's marginal cost per resource between consecutive sizes of each shape, and how far apart those costs are. */
export function marginal(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const shape of [...new Set(rows.map((r) => r.shape))]) {
    const sized = rows.filter((r) => r.shape === shape);
    const costs: number[] = [];
    for (let i = 1; i < sized.length; i++) {
      const a = sized[i - 1];
      const b = sized[i];
      if (a === undefined || b === undefined) continue;
      // Whole processes: start-up, the same at every size, cancels out.
      const cost = (b.plan.processMs - a.plan.processMs) / (b.plan.resources - a.plan.resources);
      costs.push(cost);
      out.push(`- plan, ${shape}, ${a.plan.resources} to ${b.plan.resources} resources: ${cost.toFixed(3)} ms per added resource`);
    }
    if (costs.length > 1) {
      const spread = Math.max(...costs) / Math.min(...costs) - 1;
      out.push(`- plan, ${shape}: the cost per added resource varies by ${(spread * 100).toFixed(0)}% across sizes`);
    }
  }
  return out;
}
