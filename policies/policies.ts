/**
 * The policies of the pack, importable without starting the analyzer (which
 * `new PolicyPack` does), so tests can run each policy directly.
 */
import type { Policies } from "@pulumi/policy";

/** Every policy in the pack. Filled in by the policy-pack issue. */
export const policies: Policies = [];
