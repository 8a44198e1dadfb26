/**
 * Config values set with `pulumi config set --secret`. No key of this
 * project holds a secret (credentials live in Kubernetes Secrets that config
 * names, such as `storage.backup.credentialSecret`, and API keys are
 * generated), and config is read as plain text and parsed into specs. A
 * secret value would lose its secrecy inside the program and could end up
 * in a manifest or a plan, so it is refused, naming the key.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "./problems";

/**
 * The SDK's own test of a key's secrecy (`runtime.isConfigSecret`, which
 * reads the secret keys the engine passes to the program). It is marked
 * internal in @pulumi/pulumi 3.248.0's typings, so it is looked up here; the
 * engine's `PULUMI_CONFIG_SECRET_KEYS` is the fallback.
 */
function sdkSecretTest(): (fullKey: string) => boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: unknown };
  if (typeof runtime.isConfigSecret === "function") return runtime.isConfigSecret as (fullKey: string) => boolean;
  const keys = ((): unknown => {
    try {
      return JSON.parse(process.env["PULUMI_CONFIG_SECRET_KEYS"] ?? "[]") as unknown;
    } catch {
      return [];
    }
  })();
  return (fullKey) => Array.isArray(keys) && keys.includes(fullKey);
}

/** One problem for each key of `namespace` among `keys` that the stack sets as a secret. */
export function secretConfigProblems(namespace: string, keys: Iterable<string>, example: string): ConfigProblem[] {
  const isSecret = sdkSecretTest();
  return [...keys]
    .filter((key) => isSecret(`${namespace}:${key}`))
    .map((key) => ({
      path: key,
      message: `is set as a secret ('pulumi config set --secret'), but no key of ${namespace} holds a secret and the program would read it as plain text; set it without --secret and keep credentials in a Kubernetes Secret that config names (${example})`,
    }));
}
