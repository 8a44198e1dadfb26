/**
 * The Pulumi program as a function, so that the CLI (through `index.ts`), the
 * offline plan and the tests all run exactly the same code.
 */
import { AiFactory } from "./components";
import { loadFactoryConfig } from "./config";
import { GuardRailError, checkSite, failSiteCheck, holdForSiteCheck, installGuardRails } from "./guardRails";

/** How the program runs. */
export interface MainOptions {
  /**
   * Judge every resource and the whole site against the mandatory policies
   * before anything is registered (the CLI entry turns it on; the offline
   * plan runs the pack itself).
   * @default false
   */
  readonly guardRails?: boolean;
}

/** Stack outputs of a site. */
export type StackOutputs = Awaited<ReturnType<typeof main>>;

/**
 * Validates the stack's config, then declares the site. Throws before any
 * resource on bad config, and (with guard rails) on a site that breaks a
 * mandatory policy: every resource is held until the whole site is judged.
 */
export async function main(options: MainOptions = {}) {
  const guarded = options.guardRails === true;
  if (guarded) {
    installGuardRails();
    holdForSiteCheck();
  }
  try {
    const config = loadFactoryConfig();
    const factory = new AiFactory(config.site.name, { config });
    await factory.ready;
    if (guarded) await checkSite((violations) => new GuardRailError(violations));
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
  } catch (err) {
    // Nothing held may be registered once the program has failed.
    failSiteCheck(err);
    throw err;
  }
}
