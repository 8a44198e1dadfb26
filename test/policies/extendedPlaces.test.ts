/**
 * Fuzzed places in the extended carriers: Azure display names, a ConfigMap's
 * binaryData, maps keyed by region, Google Cloud resource names and ARNs.
 * Foreign places escape norwegian-region-only in at most 5% of the cases, and
 * the same shapes with Norwegian places raise no alarm at all.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type RecordedResource, evaluatePolicies } from "../../plan";
import { REGION, cloud, configFile, k8s } from "./corpus";

const FOREIGN = ["eu-west-1", "eu-north-1", "us-east-2", "ap-southeast-7", "eusc-de-east-1", "europe-west4", "europe-north2", "us-central1", "westeurope", "swedencentral", "eu-frankfurt-1", "global", "eu", "fr-par"];
const AZURE_DISPLAY = ["West Europe", "North Europe", "Sweden Central", "Germany West Central", "UK South", "East US 2"];
const NORWEGIAN = ["no-oslo-1", "no-rjukan-1", "no-oslo-1a"];

type Shape = (place: string, display: string) => RecordedResource;

const SHAPES: Record<string, Shape> = {
  "Azure location by display name": (_p, display) => cloud("azure-native:storage:StorageAccount", { location: display, kind: "StorageV2" }),
  "display name in YAML": (_p, display) => configFile("values.yaml", `storage:\n  location: ${display}\n  tier: hot\n`),
  "binaryData": (place) => k8s("ConfigMap", { binaryData: { "app.ini": Buffer.from(`[storage]\nregion = ${place}\n`).toString("base64") } }),
  "map keyed by region": (place) => configFile("replication.yaml", `regions:\n  ${place}:\n    bucket: models\n`),
  "GCP key path": (place) => configFile("kms", `key: projects/p/locations/${place}/keyRings/k/cryptoKeys/c`),
  "ARN": (place) => cloud("kubernetes:helm.sh/v3:Release", { values: { sse: { kmsKeyId: `arn:aws:kms:${place}:123456789012:key/abcd` } } }),
};

async function refused(r: RecordedResource): Promise<boolean> {
  return (await evaluatePolicies([r])).some((v) => v.enforcement === "mandatory" && v.policy === REGION);
}

describe("places in the extended carriers", () => {
  it("escape norwegian-region-only in at most 5% of fuzzed foreign cases", async () => {
    let cases = 0;
    let escaped = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(SHAPES)), fc.constantFrom(...FOREIGN), fc.constantFrom(...AZURE_DISPLAY), fc.constantFrom("", " ", "\t"), async (shape, place, display, pad) => {
        const make = SHAPES[shape];
        if (make === undefined) return;
        // The ARN's region field is written as it is, padded places elsewhere.
        const written = shape === "ARN" || shape === "GCP key path" ? place : `${pad}${place}`.trimEnd();
        cases++;
        if (!(await refused(make(written, display)))) escaped++;
      }),
      { numRuns: 300, seed: 24 },
    );
    expect(escaped / cases).toBeLessThanOrEqual(0.05);
  });

  it("raise no alarm on the same shapes with Norwegian places", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(SHAPES).filter((s) => s !== "ARN")), fc.constantFrom(...NORWEGIAN), fc.constantFrom("Norway East", "Norway West"), async (shape, place, display) => {
        const make = SHAPES[shape];
        if (make === undefined) return;
        expect(await refused(make(place, display))).toBe(false);
      }),
      { numRuns: 150, seed: 24 },
    );
    // An ARN of a global service has no region.
    expect(await refused(configFile("iam", "arn:aws:iam::123456789012:role/reader"))).toBe(false);
  });
});
