import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FactoryConfig, parseFactoryConfig } from "../../config";
import { factoryConfig } from "../../plan/plan";
import { sovereigntyRecord, sovereigntySection } from "../../plan/sovereignty";
import { readStackConfig } from "../../plan/stackConfig";
import { ROOT, osloWith, parseConfig, setPath } from "../helpers";

const site = (stack: string) => factoryConfig(readStackConfig(path.join(ROOT, `Pulumi.${stack}.yaml`)));

/** Config keys that name an endpoint, and how a host is written there. */
const ENDPOINT_KEYS: Record<string, (host: string) => string> = {
  "mirrors.imageRegistry": (h) => h,
  "mirrors.chartRepository": (h) => `https://${h}/stable`,
  "cluster.clusterApi.hostImage.url": (h) => `https://${h}/ubuntu.qcow2`,
  "cluster.clusterApi.hostImage.checksum": (h) => `https://${h}/ubuntu.qcow2.sha256sum`,
  "storage.objectStore.endpoint": (h) => `https://${h}`,
  "storage.kms.vault.address": (h) => `https://${h}:8200`,
  "storage.backup.s3Url": (h) => `https://${h}`,
  "cluster.monitoring.prometheusUrl": (h) => `https://${h}:9090`,
  "inference[0].hostname": (h) => h,
};

/** A host outside the site: not under aifactory.no, and not a name inside the cluster (`*.svc`, `*.cluster.local`), which fc.domain() sometimes gives. */
const foreignHost = fc.domain().filter((h) => h.includes(".") && !/(^|\.)aifactory\.no$/.test(h) && !/\.(svc|cluster\.local)$/.test(h));

describe("where everything lives", () => {
  it.each(["oslo", "rjukan"])("%s: every endpoint in the country, none foreign, none unknown", (stack) => {
    const record = sovereigntyRecord(stack, site(stack));
    expect(record.counts).toEqual({ "in-country": record.endpoints.length, foreign: 0, unknown: 0 });
    const kinds = new Set(record.endpoints.map((e) => e.kind));
    for (const k of ["image mirror", "chart mirror", "host image", "KMS", "Vault", "backup target", "Prometheus"]) expect(kinds).toContain(k);
  });

  it("lists the models' storage and the DNS names served", () => {
    const record = sovereigntyRecord("oslo", site("oslo"));
    expect(record.endpoints.filter((e) => e.kind === "models' storage").length).toBe(site("oslo").inference.length);
    const section = sovereigntySection(record).join("\n");
    expect(section).toMatch(/^## Where everything lives/);
    for (const e of record.endpoints) expect(section).toContain(`\`${e.key}\``);
  });

  it.each(["0.svc", "minio.backup.svc.cluster.local"])("takes %s for a name inside the site's cluster (why the generator leaves such names out)", (host) => {
    const config = structuredClone(parseConfig()) as FactoryConfig & Record<string, unknown>;
    setPath(config, "storage.backup.s3Url", `https://${host}`);
    expect(sovereigntyRecord("oslo", config).endpoints.find((e) => e.key === "storage.backup.s3Url")?.verdict).toBe("in-country");
  });

  it("shows a foreign endpoint added anywhere in config as foreign, and the plan refuses that config naming the key (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(ENDPOINT_KEYS)), foreignHost, (key, host) => {
        const value = ENDPOINT_KEYS[key]!(host);
        const config = structuredClone(parseConfig()) as FactoryConfig & Record<string, unknown>;
        setPath(config, key, value);
        const record = sovereigntyRecord("oslo", config);
        expect(record.endpoints.find((e) => e.key === key)?.verdict).toBe("foreign");
        expect(record.counts.foreign).toBeGreaterThan(0);
        // Oslo's stack file leaves cluster.monitoring to its defaults.
        const raw = key === "cluster.monitoring.prometheusUrl" ? { "cluster.monitoring": { prometheusUrl: value } } : { [key]: value };
        const result = parseFactoryConfig(osloWith(raw));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problems.map((p) => p.path)).toContain(key);
      }),
      { numRuns: 60 },
    );
  });
});
