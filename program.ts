/**
 * The Pulumi program as a function, so that the CLI (through `index.ts`), the
 * offline plan and the tests all run exactly the same code.
 */
import { AiFactory } from "./components";
import { loadFactoryConfig } from "./config";

/** Stack outputs of a site. */
export type StackOutputs = ReturnType<typeof main>;

/** Validates the stack's config, then declares the site. Throws before any resource on bad config. */
export function main() {
  const config = loadFactoryConfig();
  const factory = new AiFactory(config.site.name, { config });
  return {
    site: factory.site,
    systemNamespace: factory.systemNamespace,
    tenantNamespaces: factory.tenantNamespaces,
    power: factory.power,
    storage: factory.storage,
    inferenceEndpoints: factory.inferenceEndpoints,
    inferenceApiKeys: factory.inferenceApiKeys,
  };
}
