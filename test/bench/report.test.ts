import { describe, expect, it } from "vitest";
import { type FleetRow, type Row, type Sample, fleetTable, marginal, render } from "../../bench/report";
import { BENCH_SHAPES, servicesPerTenant, syntheticFactory, syntheticFleet } from "../../bench/synthetic";
import { CONFIG_NAMESPACE, parseFactoryConfig } from "../../config";
import { ROOT } from "../helpers";

function sample(resources: number, stepMs: number, peakRssMb = 100, retainedHeapMb = 50): Sample {
  return { resources, stepMs, processMs: stepMs + 500, peakRssMb, retainedHeapMb };
}

function row(n: number, planMs: number, shape = "tenant-heavy", floors = true): Row {
  return {
    target: n,
    shape,
    plan: { ...sample(n, planMs, 300, 40), processMs: planMs },
    program: sample(n, n * 2),
    guarded: { ...sample(n, n * 2.2, 700), siteCheckMs: n * 0.1 },
    stepped: sample(n, n),
    ...(floors ? { replay: sample(n, n * 1.5, 900), configmaps: sample(n, n * 0.5) } : {}),
  };
}

describe("the benchmark's tables", () => {
  it("give every kind its time, cost per resource, peak RSS and retained heap, a row per shape and size", () => {
    const [time, memory] = render([row(1000, 3000), row(1000, 3300, "service-heavy", false)]).split("\n\n");
    expect(time).toContain("| shape | resources | plan (s) | plan (ms/res) | program (s) | program (ms/res) | stepped floor (s)");
    // plan 3.0 s, 3 ms/res; program 2 ms/res; stepped 1; all at once 1.5; ConfigMaps 0.5; program / stepped 2.
    expect(time?.split("\n")[2]).toBe("| tenant-heavy | 1000 | 3.0 | 3.000 | 2.0 | 2.000 | 1.0 | 1.000 | 1.5 | 1.500 | 0.5 | 0.500 | 2.00 |");
    // The floors that read the same at every shape run for the first shape only.
    expect(time?.split("\n")[3]).toBe("| service-heavy | 1000 | 3.3 | 3.300 | 2.0 | 2.000 | 1.0 | 1.000 | – | – | – | – | 2.00 |");
    expect(memory?.split("\n")[2]).toBe("| tenant-heavy | 1000 | 300 | 100 | 100 | 900 | 100 | 40 | 50 | 50 | 50 | 50 |");
    expect(memory?.split("\n")[3]).toBe("| service-heavy | 1000 | 300 | 100 | 100 | – | – | 40 | 50 | 50 | – | – |");
  });

  it("give the guard rails' site check its time, its share of the program's and both peaks", () => {
    const check = render([row(1000, 3000)]).split("\n\n")[2];
    expect(check?.split("\n")[0]).toBe("| shape | resources | program (s) | program with guard rails (s) | site check (s) | site check / program | program: peak RSS (MB) | guarded: peak RSS (MB) |");
    // program 2 s, guarded 2.2 s, check 0.1 s: 5% of the program.
    expect(check?.split("\n")[2]).toBe("| tenant-heavy | 1000 | 2.00 | 2.20 | 0.100 | 0.050 | 100 | 700 |");
  });

  it("take the plan's marginal cost from whole processes per shape, so start-up cancels out, and say how far apart the costs are", () => {
    expect(marginal([row(1000, 3000), row(5000, 11000), row(9000, 20000), row(1000, 4000, "service-heavy"), row(5000, 12000, "service-heavy")])).toEqual([
      "- plan, tenant-heavy, 1000 to 5000 resources: 2.000 ms per added resource",
      "- plan, tenant-heavy, 5000 to 9000 resources: 2.250 ms per added resource",
      "- plan, tenant-heavy: the cost per added resource varies by 13% across sizes",
      "- plan, service-heavy, 1000 to 5000 resources: 2.000 ms per added resource",
    ]);
  });

  it("give each fleet both ways, their ratio, their peaks and whether the outputs matched", () => {
    const fleet: FleetRow = { sites: 8, sequential: sample(800, 0, 400), parallel: { ...sample(800, 0, 700), processMs: 250 }, identical: true };
    expect(fleetTable([fleet]).split("\n")[2]).toBe("| 8 | 800 | 0.5 | 0.3 | 0.50 | 400 | 700 | yes |");
    expect(fleetTable([{ ...fleet, identical: false }])).toContain("| **no** |");
  });
});

describe("the benchmark's synthetic shapes", () => {
  it("grow a tenant-heavy site by tenants of one service, and a service-heavy one by services of a fixed few tenants", () => {
    const many = servicesPerTenant(20_000, BENCH_SHAPES["tenant-heavy"]);
    expect(many.every((n) => n === 1)).toBe(true);
    expect(many.length).toBeGreaterThan(1000);
    const few = servicesPerTenant(20_000, BENCH_SHAPES["service-heavy"]);
    expect(few).toHaveLength(8);
    // Spread evenly, and about as many resources as the tenant-heavy site.
    expect(Math.max(...few) - Math.min(...few)).toBeLessThanOrEqual(1);
    expect(few.reduce((a, b) => a + b, 0)).toBeGreaterThan(1900);
  });

  it.each([600, 4_000, 20_000].flatMap((n) => Object.keys(BENCH_SHAPES).map((shape) => [n, shape as keyof typeof BENCH_SHAPES] as const)))(
    "generate a valid site config at %i resources, %s (the benchmark measures sites that plan)",
    (n, shape) => {
      const engine = syntheticFactory(ROOT, n, BENCH_SHAPES[shape]);
      const raw = Object.fromEntries(Object.entries(engine).map(([k, v]) => [k.slice(CONFIG_NAMESPACE.length + 1), JSON.parse(v) as unknown]));
      const result = parseFactoryConfig(raw);
      expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([]);
    },
  );

  it("generate fleets of sites with names of their own", () => {
    const files = syntheticFleet(ROOT, 5);
    expect(Object.keys(files)).toEqual(["Pulumi.site-00.yaml", "Pulumi.site-01.yaml", "Pulumi.site-02.yaml", "Pulumi.site-03.yaml", "Pulumi.site-04.yaml"]);
    const names = Object.values(files).map((t) => /name: (\S+-g\d+)/.exec(t)?.[1]);
    expect(names).toEqual(["oslo-1-g0", "rjukan-1-g1", "oslo-1-g2", "rjukan-1-g3", "oslo-1-g4"]);
  });
});
