import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { SECTION_NAMES, parseFactoryConfig } from "../../config";
import { planStack } from "../../plan";
import { main } from "../../program";
import { osloRaw } from "../helpers";

describe("config validation on arbitrary input", () => {
  it("never throws, and names a config key in every problem", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECTION_NAMES), fc.jsonValue(), (section, value) => {
        const raw: Record<string, unknown> = { ...osloRaw(), [section]: value };
        const result = parseFactoryConfig(raw);
        if (result.ok) return true;
        return result.problems.every((p) => SECTION_NAMES.some((s) => p.path === s || p.path.startsWith(`${s}.`) || p.path.startsWith(`${s}[`)) && p.message.length > 0);
      }),
      { numRuns: 300 },
    );
  });

  it("reports a problem for any value swapped in for the site's zones that is not a list of its zones", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 3 }), (zones) => {
        const raw = osloRaw();
        (raw.site as { zones: unknown }).zones = zones;
        const ok = zones.every((z) => /^no-oslo-1[a-z]$/.test(z)) && new Set(zones).size === zones.length;
        const result = parseFactoryConfig(raw);
        // Pools must stay in the site's zones too, so only the two Oslo zones keep the whole config valid.
        return ok || !result.ok;
      }),
    );
  });
});

/** A path into raw config: keys and list indexes. */
type KeyPath = (string | number)[];

/** Every path to a value in a tree (objects and lists included). */
function pathsOf(value: unknown, prefix: KeyPath = []): KeyPath[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  }
  return [];
}

/** Values a user might type by mistake: other types, numbers at edges, names of other things, bad names. */
const SWAPS: unknown[] = [
  "x", "", 0, -1, 0.5, 1e9, true, null, [], {}, "0", "0e5", "-5Gi", "logistics", "research", "h100-train", "dgx-h200",
  "models", "gpu-operator", "aifactory-system", "kube-system", "velero", "monitoring", "1abc", "Bad_Name", "a".repeat(70),
  "no-oslo-1b", "eu-west-1",
];

type Mutation = { kind: "delete" | "swap" | "rename"; at: number; value: number };

function mutate(raw: Record<string, unknown>, m: Mutation): void {
  const paths = pathsOf(raw);
  const keyPath = paths[m.at % paths.length]!;
  let parent: unknown = raw;
  for (const k of keyPath.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
  const last = keyPath[keyPath.length - 1]!;
  const holder = parent as Record<string | number, unknown>;
  if (m.kind === "delete") {
    if (Array.isArray(holder) && typeof last === "number") holder.splice(last, 1);
    else Reflect.deleteProperty(holder, last);
  } else if (m.kind === "swap") {
    holder[last] = structuredClone(SWAPS[m.value % SWAPS.length]);
  } else if (typeof last === "string") {
    holder[`${last}${m.value % 2 === 0 ? "s" : "X"}`] = holder[last];
    Reflect.deleteProperty(holder, last);
  }
}

const mutation = fc.record({
  kind: fc.constantFrom<Mutation["kind"]>("delete", "swap", "swap", "rename"),
  at: fc.nat(),
  value: fc.nat(),
});

describe("the plan on random mutations of the Oslo config", () => {
  it("never fails as a program (exit 3), never leaves a partial out/, and names a key in every exit 2", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aifactory-mutations-"));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const raw = osloRaw() as Record<string, unknown>;
          for (const m of mutations) mutate(raw, m);
          const config: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(raw)) config[`sovereign-ai-factory:${k}`] = v;
          const file = path.join(dir, "Pulumi.mutant.yaml");
          fs.writeFileSync(file, stringify({ config }));
          const outDir = path.join(dir, "out");
          fs.rmSync(outDir, { recursive: true, force: true });
          const outcome = await planStack({ stack: "mutant", configFile: file, outDir, program: main });
          expect(outcome.exitCode, "message" in outcome ? outcome.message : "").not.toBe(3);
          const written = fs.existsSync(outDir) ? fs.readdirSync(outDir).sort() : [];
          if ("message" in outcome) {
            expect(written).toEqual([]);
            expect(outcome.message).toMatch(/\n {2}- [A-Za-z][\w.[\]-]*: /);
          } else {
            expect(outcome.exitCode, JSON.stringify(outcome.document.invalidObjects)).not.toBe(2);
            expect(written).toEqual(expect.arrayContaining(["manifests", "plan.json", "report.md"]));
          }
          expect(fs.readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);
        }),
        { numRuns: 100 },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
