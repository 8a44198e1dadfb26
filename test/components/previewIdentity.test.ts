import { describe, expect, it } from "vitest";
import { READ_VERBS, previewRules } from "../../components/previewIdentity";

describe("the preview identity", () => {
  const rules = previewRules();

  it("can read but never write: no verb outside get/list/watch, no wildcard verb", () => {
    for (const rule of rules) for (const verb of rule.verbs) expect(READ_VERBS).toContain(verb);
    expect(rules.flatMap((r) => r.verbs)).not.toContain("*");
  });

  it("cannot read Secrets: the core group is listed kind by kind, and no wildcard group", () => {
    const core = rules.filter((r) => r.apiGroups.includes(""));
    expect(core.flatMap((r) => r.resources)).not.toContain("secrets");
    expect(core.flatMap((r) => r.resources)).not.toContain("*");
    expect(rules.flatMap((r) => r.apiGroups)).not.toContain("*");
  });

  it("reads the kinds the factory declares from its CRDs", () => {
    const groups = rules.flatMap((r) => r.apiGroups);
    for (const g of ["cluster.x-k8s.io", "ceph.rook.io", "kueue.x-k8s.io", "nvidia.com", "gateway.networking.k8s.io", "storage.k8s.io"]) expect(groups).toContain(g);
  });
});
