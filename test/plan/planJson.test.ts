import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeJsonWithArray } from "../../plan/planJson";

describe("plan.json written element by element", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-json-"));
  const file = path.join(dir, "plan.json");

  it("is byte for byte JSON.stringify(document, null, 2) and a newline, for any document whose last key is the array", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== "resources"), fc.jsonValue()), fc.array(fc.jsonValue(), { maxLength: 20 }), (head, resources) => {
        const document = { ...head, resources };
        writeJsonWithArray(file, document, "resources");
        expect(fs.readFileSync(file, "utf8")).toBe(`${JSON.stringify(document, null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });

  it("is the same for elements with line breaks, quotes and non-ASCII text in their strings, and across the write chunks", () => {
    const resources = Array.from({ length: 3000 }, (_, i) => ({ urn: `urn:${i}`, inputs: { text: `a\nb "c" ø ${"x".repeat(500)}`, list: [i, { deep: [] }, {}] } }));
    const document = { version: 1, summary: { resources: resources.length }, resources };
    writeJsonWithArray(file, document, "resources");
    expect(fs.readFileSync(file, "utf8")).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });

  it("refuses an array that is not the document's last key", () => {
    expect(() => { writeJsonWithArray(file, { resources: [1], after: true } as { resources: number[] }, "resources"); }).toThrow("'resources' must be the document's last key");
  });
});
