import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { findProjectRoot, projectRoot } from "../../plan/projectRoot";
import { ROOT } from "../helpers";

describe("the project root", () => {
  it("is this repository, from the sources", () => {
    expect(projectRoot()).toBe(ROOT);
  });

  it("is found from a source folder and from the compiled plan's folder under node_modules/.cache", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "root-"));
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "sovereign-ai-factory" }));
    const cache = path.join(root, "node_modules", ".cache", "sovereign-ai-factory");
    fs.mkdirSync(cache, { recursive: true });
    // A package of another name on the way up is not the root.
    fs.writeFileSync(path.join(root, "node_modules", "package.json"), JSON.stringify({ name: "other" }));
    fs.writeFileSync(path.join(root, "node_modules", ".cache", "package.json"), "not json");
    fs.mkdirSync(path.join(root, "fleet"));
    expect(findProjectRoot(cache)).toBe(root);
    expect(findProjectRoot(path.join(root, "fleet"))).toBe(root);
    expect(() => findProjectRoot(cache, "no-such-project")).toThrow(/no package.json named no-such-project/);
  });
});
