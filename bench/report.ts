/**
 * The benchmark's figures and how they are printed (scripts/bench.ts
 * measures them).
 */

/** What the benchmark runs at each size. */
export const KINDS = ["plan", "program", "guarded", "replay", "stepped", "configmaps"] as const;
export type Kind = (typeof KINDS)[number];

/** What one measuring process reports. */
export interface Sample {
  readonly resources: number;
  /** The step alone (modules already loaded); for the plan, the whole process. */
  readonly stepMs: number;
  /** The whole process, start-up included, as the parent saw it. */
  readonly processMs: number;
  readonly peakRssMb: number;
  readonly retainedHeapMb: number;
  /** The guard rails' site check alone (the stack policies over the collected site), for the guarded program. */
  readonly siteCheckMs?: number;
}

export type Row = { readonly target: number } & Record<Kind, Sample>;

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

function markdownTable(head: readonly string[], body: readonly (readonly (string | number)[])[]): string {
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---:").join(" | ")} |`, ...body.map((cells) => `| ${cells.join(" | ")} |`)].join("\n");
}

/**
 * Two tables: time (each kind's wall time and cost per resource: the
 * plan's as a whole process, the others' for their step) and memory (each
 * kind's peak RSS and retained heap).
 */
export function render(rows: readonly Row[]): string {
  const time = markdownTable(
    ["resources", ...COLUMNS.flatMap(([, label]) => [`${label} (s)`, `${label} (ms/res)`]), "program / stepped floor"],
    rows.map((r) => [
      r.plan.resources,
      ...COLUMNS.flatMap(([kind]) => [(r[kind].stepMs / 1000).toFixed(1), perResource(r[kind].stepMs, r[kind].resources)]),
      (r.program.stepMs / r.program.resources / (r.stepped.stepMs / r.stepped.resources)).toFixed(2),
    ]),
  );
  const memory = markdownTable(
    ["resources", ...COLUMNS.map(([, label]) => `${label}: peak RSS (MB)`), ...COLUMNS.map(([, label]) => `${label}: retained heap (MB)`)],
    rows.map((r) => [r.plan.resources, ...COLUMNS.map(([kind]) => r[kind].peakRssMb), ...COLUMNS.map(([kind]) => r[kind].retainedHeapMb)]),
  );
  return `${time}\n\n${memory}\n\n${siteCheckTable(rows)}`;
}

/**
 * The guard rails' cost: the program with its guard rails on (every resource
 * held until the site is judged), the site check alone, and the check's
 * share of the program's own time.
 */
export function siteCheckTable(rows: readonly Pick<Row, "program" | "guarded">[]): string {
  return markdownTable(
    ["resources", "program (s)", "program with guard rails (s)", "site check (s)", "site check / program", "guarded: peak RSS (MB)"],
    rows.map((r) => [
      r.guarded.resources,
      (r.program.stepMs / 1000).toFixed(2),
      (r.guarded.stepMs / 1000).toFixed(2),
      ((r.guarded.siteCheckMs ?? 0) / 1000).toFixed(3),
      ((r.guarded.siteCheckMs ?? 0) / r.program.stepMs).toFixed(3),
      r.guarded.peakRssMb,
    ]),
  );
}

/** The plan's marginal cost per resource between consecutive sizes. */
export function marginal(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    if (a === undefined || b === undefined) continue;
    // Whole processes: start-up, the same at every size, cancels out.
    const cost = (b.plan.processMs - a.plan.processMs) / (b.plan.resources - a.plan.resources);
    out.push(`- plan, ${a.plan.resources} to ${b.plan.resources} resources: ${cost.toFixed(3)} ms per added resource`);
  }
  return out;
}
