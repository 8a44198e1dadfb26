/**
 * The Pulumi program as a function, so that the CLI (through `index.ts`), the
 * offline plan and the tests all run exactly the same code.
 */
import { AiFactory } from "./components";
import { loadFactoryConfig } from "./config";
import { preflight } from "./plan/preflight";

/** How the program runs. */
export interface MainOptions {
  /**
   * Check the whole site against the mandatory policies before declaring
   * anything (the CLI entry turns it on; the offline plan runs the pack itself).
   * @default false
   */
  readonly guardRails?: boolean;
}

/** Stack outputs of a site. */
export type StackOutputs = Awaited<ReturnType<typeof main>>;

/**
 * Validates the stack's config, then declares the site. Throws before any
 * resource on bad config, and (with guard rails) on a site that breaks a
 * mandatory policy.
 */
export async function main(options: MainOptions = {}) {
  const config = loadFactoryConfig();
  if (options.guardRails === true) preflight();
  const factory = new AiFactory(config.site.name, { config });
  await factory.ready;
  return {
    site: factory.site,
    systemNamespace: factory.systemNamespace,
    tenantNamespaces: factory.tenantNamespaces,
    power: factory.power,
    storage: factory.storage,
    inferenceEndpoints: factory.inferenceEndpoints,
    inferenceApiKeys: factory.inferenceApiKeys,
    inferenceClientKeys: factory.inferenceClientKeys,
  };
}
