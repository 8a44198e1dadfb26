import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isHostInDomains, isInCountryHttpsEndpoint, urlHost } from "../../catalog";

describe("in-country endpoints", () => {
  it.each([
    "https://s3.oslo-1.aifactory.no",
    "https://S3.Rjukan-1.AIFactory.no:8443/bucket",
    "https://aifactory.no",
    "https://user@s3.oslo-1.aifactory.no/",
  ])("allows %s", (url) => {
    expect(isInCountryHttpsEndpoint(url)).toBe(true);
  });

  it.each([
    ["plain http", "http://s3.oslo-1.aifactory.no"],
    ["a public cloud endpoint", "https://s3.eu-north-1.amazonaws.com"],
    ["our domain as a prefix of a foreign one", "https://s3.aifactory.no.evil.example"],
    ["our domain as a suffix of another label", "https://notaifactory.no"],
    ["a Cyrillic look-alike", "https://s3.aifact\u043ery.no"],
    ["credentials that mention our host", "https://s3.aifactory.no@evil.example"],
    ["no scheme", "s3.oslo-1.aifactory.no"],
    ["an empty string", ""],
  ])("refuses %s", (_name, url) => {
    expect(isInCountryHttpsEndpoint(url)).toBe(false);
  });

  it("reads the host, not user info or port", () => {
    expect(urlHost("https://a:b@S3.example.no:9000/x")).toBe("s3.example.no");
    expect(urlHost("not a url")).toBeUndefined();
  });

  it("never allows a host outside the listed domains, whatever is put in front of it", () => {
    fc.assert(
      fc.property(fc.domain(), (domain) => {
        const allowed = isHostInDomains(domain, ["aifactory.no"]);
        return allowed === (domain === "aifactory.no" || domain.endsWith(".aifactory.no"));
      }),
    );
  });
});
