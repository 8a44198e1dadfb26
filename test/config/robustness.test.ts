import fc from "fast-check";
import { describe, it } from "vitest";
import { SECTION_NAMES, parseFactoryConfig } from "../../config";
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
