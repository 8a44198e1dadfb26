/**
 * The compliance frameworks the policies answer to, as @pulumi/policy's
 * `framework` metadata, and where each policy is documented.
 */
import type { PolicyComplianceFramework } from "@pulumi/policy";

/** Where the pack's policies are documented: the project's README, one section per policy. */
export const POLICY_DOCS_URL = "https://git.aifactory.no/platform/sovereign-ai-factory/-/blob/main/README.md";

/** The README section of a policy. */
export function policyDocsUrl(policy: string): string {
  return `${POLICY_DOCS_URL}#${policy}`;
}

/** The frameworks, by the name the report groups violations under. */
export const Frameworks = {
  nsm: {
    name: "NSM Grunnprinsipper for IKT-sikkerhet",
    version: "2.1",
    reference: "https://nsm.no/regelverk-og-hjelp/rad-og-anbefalinger/grunnprinsipper-for-ikt-sikkerhet/",
    specification: "Know where data is stored and processed, control the supply chain, and segment and protect networks.",
  },
  gdpr: {
    name: "GDPR (EU) 2016/679, as Norwegian law (personopplysningsloven)",
    version: "2016/679",
    reference: "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
    specification: "Chapter V (Articles 44-49): transfers of personal data outside the country are controlled.",
  },
  eed: {
    name: "EU Energy Efficiency Directive (EU) 2023/1791",
    version: "2023/1791, Delegated Regulation (EU) 2024/1364",
    reference: "https://eur-lex.europa.eu/eli/reg_del/2024/1364/oj",
    specification: "Article 12 and Annex VII: data centres report energy, renewable energy (REF) and reused heat (ERF).",
  },
} as const satisfies Record<string, PolicyComplianceFramework>;
