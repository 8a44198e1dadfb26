import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  NORWEGIAN_REGIONS,
  NORWEGIAN_SITE_REGIONS,
  NORWEGIAN_ZONES,
  isAllowedLocation,
  normaliseRegionValue,
  regionOfZone,
  zonesOfRegion,
} from "../../catalog";

const allowed = [...NORWEGIAN_REGIONS, ...NORWEGIAN_ZONES];

describe("the Norwegian region catalogue", () => {
  it("holds the six sites, their zones and the two Norwegian cloud regions, nothing else", () => {
    expect(NORWEGIAN_REGIONS).toEqual([
      "no-oslo-1",
      "no-rjukan-1",
      "no-stavanger-1",
      "no-kristiansand-1",
      "no-nordfjordeid-1",
      "no-trondheim-1",
      "norwayeast",
      "norwaywest",
    ]);
    expect(NORWEGIAN_ZONES).toHaveLength(6 * 26);
    expect(zonesOfRegion("no-oslo-1").slice(0, 2)).toEqual(["no-oslo-1a", "no-oslo-1b"]);
  });

  it.each(["no-oslo-1", " NO-OSLO-1 ", "No-Rjukan-1a", "NorwayEast", "norwaywest\t"])("allows %j", (value) => {
    expect(isAllowedLocation(value, allowed)).toBe(true);
  });

  it.each([
    ["a foreign region", "eu-north-1"],
    ["an Azure region in another country", "westeurope"],
    ["global", "global"],
    ["an empty string", ""],
    ["white space", "   "],
    ["a no- prefix on a foreign name", "no-eu-north-1"],
    ["a Cyrillic o", "no-\u043eslo-1"],
    ["a Kelvin sign that lower-cases to k", "no-\u212aristiansand-1"],
    ["a fullwidth letter", "no-\uff4fslo-1"],
    ["a zero-width space", "no-oslo\u200b-1"],
    ["a trailing no-break space (String.trim would strip it)", "no-oslo-1\u00a0"],
    ["a leading byte-order mark", "\ufeffno-oslo-1"],
    ["a trailing line separator", "no-oslo-1a\u2028"],
    ["a zone with two letters", "no-oslo-1ab"],
    ["a zone of an unknown site", "no-bergen-1a"],
  ])("refuses %s", (_name, value) => {
    expect(isAllowedLocation(value, allowed)).toBe(false);
  });

  it("never allows a value with a character outside printable ASCII", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allowed),
        fc.nat(),
        fc.integer({ min: 0x80, max: 0xffff }),
        (value, at, code) => {
          const i = at % (value.length + 1);
          const tampered = value.slice(0, i) + String.fromCharCode(code) + value.slice(i);
          return !isAllowedLocation(tampered, allowed);
        },
      ),
    );
  });

  it("allows every catalogue value whatever its case and surrounding spaces", () => {
    fc.assert(
      fc.property(fc.constantFrom(...allowed), fc.array(fc.boolean()), fc.constantFrom("", " ", "\t", "  "), (v, caps, pad) => {
        const mixed = v.replace(/./g, (c, i: number) => (caps[i] ? c.toUpperCase() : c));
        return isAllowedLocation(`${pad}${mixed}${pad}`, allowed);
      }),
    );
  });

  it("normalises by trimming and lower-casing, and rejects non-ASCII", () => {
    expect(normaliseRegionValue("  No-Oslo-1A ")).toBe("no-oslo-1a");
    expect(normaliseRegionValue("no-\u212a")).toBeUndefined();
  });

  it("finds the region of a zone", () => {
    for (const region of NORWEGIAN_SITE_REGIONS) expect(regionOfZone(`${region}c`)).toBe(region);
    expect(regionOfZone("no-oslo-1")).toBeUndefined();
  });
});
