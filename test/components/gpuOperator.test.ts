import { describe, expect, it } from "vitest";
import { GPU_OPERATOR_CHART_VERSION, GPU_OPERATOR_IMAGES, GPU_OPERATOR_VALUE_PATHS } from "../../catalog";
import { gpuOperatorReleaseArgs, gpuOperatorValues, mirroredRepository } from "../../components";
import { osloWith, parseConfig } from "../helpers";

const oslo = parseConfig();
const args = { site: oslo.site, mirrors: oslo.mirrors, operator: oslo.cluster.gpuOperator };
const MIRROR = "cr.oslo-1.aifactory.no";

/** Leaf paths of a values object, as Helm merges them over the chart's defaults. */
function leafPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

function at(values: Record<string, unknown>, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values);
}

/**
 * The repository each image is pulled from once our values are merged over the
 * chart's defaults: the chart renders `repository` into the ClusterPolicy (or
 * the operator Deployment), and the operator pulls `repository/image:version`.
 */
function resolvedRepositories(values: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const image of GPU_OPERATOR_IMAGES) {
    const ours = at(values, `${image.valuesPath}.repository`);
    out.set(image.valuesPath, typeof ours === "string" ? ours : image.repository);
  }
  return out;
}

describe("the GPU operator's Helm values", () => {
  const values = gpuOperatorValues(args);

  it("pins the chart version the catalogue's facts were read from", () => {
    expect(oslo.cluster.gpuOperator.chartVersion).toBe(GPU_OPERATOR_CHART_VERSION);
  });

  it("pulls every image the chart knows from the in-country mirror", () => {
    for (const [path, repository] of resolvedRepositories(values)) {
      expect(repository.split("/")[0], path).toBe(MIRROR);
    }
  });

  it("mirrors each image under the path the pinned chart really uses, so the mirror has it", () => {
    const resolved = resolvedRepositories(values);
    for (const image of GPU_OPERATOR_IMAGES) {
      const upstreamPath = image.repository.slice(image.repository.indexOf("/") + 1);
      expect(resolved.get(image.valuesPath), image.valuesPath).toBe(`${MIRROR}/${upstreamPath}`);
    }
    // The validator ships in the operator's image; every GPU component waits on it.
    expect(resolved.get("validator")).toBe(resolved.get("operator"));
    expect(resolved.get("validator")).toBe(`${MIRROR}/nvidia`);
    // Images an earlier version left at the vendor's registry.
    expect(resolved.get("operator.initContainer")).toBe(`${MIRROR}/nvidia`);
    expect(resolved.get("driver.manager")).toBe(`${MIRROR}/nvidia/cloud-native`);
  });

  it("uses no key the pinned chart does not read", () => {
    const unknown = leafPaths(values).filter((p) => !GPU_OPERATOR_VALUE_PATHS.has(p));
    expect(unknown).toEqual([]);
    expect(GPU_OPERATOR_VALUE_PATHS.has("operator.defaultRuntime")).toBe(false);
  });

  it("turns on the components GPU nodes need and takes the MIG strategy from config", () => {
    for (const key of ["driver", "toolkit", "devicePlugin", "dcgmExporter", "gfd", "migManager"]) {
      expect(at(values, `${key}.enabled`), key).toBe(true);
    }
    const mixed = parseConfig(osloWith({ "cluster.gpuOperator.migStrategy": "mixed" }));
    expect(at(gpuOperatorValues({ ...args, operator: mixed.cluster.gpuOperator }), "mig.strategy")).toBe("mixed");
  });

  it("keeps the mirror's path below the host and any port", () => {
    expect(mirroredRepository("cr.example.no:5000", "nvcr.io/nvidia/k8s")).toBe("cr.example.no:5000/nvidia/k8s");
    expect(mirroredRepository("cr.example.no", "registry.k8s.io/nfd/node-feature-discovery")).toBe(
      "cr.example.no/nfd/node-feature-discovery",
    );
  });

  it("installs the release from the chart mirror", () => {
    const release = gpuOperatorReleaseArgs(args);
    expect(release).toMatchObject({ chart: "gpu-operator", version: "v25.10.0", repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no/stable" } });
  });
});
