import { describe, expect, it } from "vitest";
import { type Row, type Sample, marginal, render } from "../../bench/report";

function sample(resources: number, stepMs: number, peakRssMb = 100, retainedHeapMb = 50): Sample {
  return { resources, stepMs, processMs: stepMs + 500, peakRssMb, retainedHeapMb };
}

function row(n: number, planMs: number): Row {
  return {
    target: n,
    plan: { ...sample(n, planMs, 300, 40), processMs: planMs },
    program: sample(n, n * 2),
    guarded: { ...sample(n, n * 2.2, 700), siteCheckMs: n * 0.1 },
    stepped: sample(n, n),
    replay: sample(n, n * 1.5, 900),
    configmaps: sample(n, n * 0.5),
  };
}

describe("the benchmark's tables", () => {
  it("give every kind its time, cost per resource, peak RSS and retained heap", () => {
    const [time, memory] = render([row(1000, 3000)]).split("\n\n");
    expect(time).toContain("| plan (s) | plan (ms/res) | program (s) | program (ms/res) | stepped floor (s)");
    // plan 3.0 s, 3 ms/res; program 2 ms/res; stepped 1; all at once 1.5; ConfigMaps 0.5; program / stepped 2.
    expect(time?.split("\n")[2]).toBe("| 1000 | 3.0 | 3.000 | 2.0 | 2.000 | 1.0 | 1.000 | 1.5 | 1.500 | 0.5 | 0.500 | 2.00 |");
    expect(memory?.split("\n")[2]).toBe("| 1000 | 300 | 100 | 100 | 900 | 100 | 40 | 50 | 50 | 50 | 50 |");
  });

  it("give the guard rails' site check its time and its share of the program's", () => {
    const check = render([row(1000, 3000)]).split("\n\n")[2];
    expect(check?.split("\n")[0]).toBe("| resources | program (s) | program with guard rails (s) | site check (s) | site check / program | guarded: peak RSS (MB) |");
    // program 2 s, guarded 2.2 s, check 0.1 s: 5% of the program.
    expect(check?.split("\n")[2]).toBe("| 1000 | 2.00 | 2.20 | 0.100 | 0.050 | 700 |");
  });

  it("take the plan's marginal cost from whole processes, so start-up cancels out", () => {
    expect(marginal([row(1000, 3000), row(5000, 11000)])).toEqual(["- plan, 1000 to 5000 resources: 2.000 ms per added resource"]);
  });
});
