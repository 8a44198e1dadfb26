/**
 * Start-up of the offline plan: two modules the Pulumi SDK requires as it
 * loads, for features the plan never calls, are loaded only when first used.
 *
 * - `typescript` (about 0.45 s to load here): the SDK parses functions with it
 *   to serialise closures (`pulumi.runtime.serializeFunction`, function
 *   serialisation for cloud callbacks).
 * - `@npmcli/arborist` and its ~400 modules (about 0.25 s): the SDK reads the
 *   package tree with it to upload a function's dependencies
 *   (`pulumi.runtime.computeCodePaths`).
 *
 * Node's CommonJS loader is asked for a stand-in instead of each module when
 * (and only when) a file of `@pulumi/pulumi` requires it; the stand-in loads
 * the real module on first use and forwards to it, so those features still
 * work, only later. This relies on how the SDK uses the two modules, which
 * is not its public API, so it is pinned: it applies only to the SDK version
 * below, and `test/plan/deferModules.test.ts` checks at that version that
 * neither module loads during a plan and that both features give the same
 * results with the stand-ins as without. On any other SDK version nothing is
 * deferred (the plan is slower, not wrong). Only the plan process installs
 * it: `pulumi up`, the policy pack and the tests load the SDK as it ships.
 */
import Module from "node:module";
import * as path from "node:path";

/** The SDK version whose use of the deferred modules is checked. */
export const DEFERRED_FOR_SDK_VERSION = "3.248.0";

/** A module to defer, and the shape of its exports that the SDK relies on. */
interface Deferral {
  readonly request: string;
  /**
   * `namespace`: an object of functions and values, only read (typescript).
   * `classes`: the export is a class with the listed statics, also classes,
   * which the SDK enumerates (TypeScript's `__importStar`) before it
   * constructs one.
   */
  readonly shape: { readonly kind: "namespace" } | { readonly kind: "classes"; readonly statics: readonly string[] };
}

/** What is deferred, with the shapes `@pulumi/pulumi` 3.248.0 relies on. */
export const DEFERRED: readonly Deferral[] = [
  { request: "typescript", shape: { kind: "namespace" } },
  { request: "@npmcli/arborist", shape: { kind: "classes", statics: ["Arborist", "Node", "Link", "Edge", "Shrinkwrap"] } },
];

type Load = (request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown;
type Constructor = new (...args: unknown[]) => object;

/** Node's CommonJS loader entry point, which every `require` goes through. */
const loader = Module as unknown as { _load: Load };

/**
 * Both modules are CommonJS, not compiled ES modules: interop helpers and
 * loaders that ask for this marker are told so without loading them.
 */
const ES_MODULE = "__esModule";

/** A read-only namespace whose every property comes from `load()`. */
function deferredNamespace(load: () => object): object {
  return new Proxy(
    {},
    {
      get: (_target, key) => (key === ES_MODULE ? undefined : (Reflect.get(load(), key) as unknown)),
      has: (_target, key) => key !== ES_MODULE && Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        if (key === ES_MODULE) return undefined;
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property non-configurable that its target lacks.
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
    },
  );
}

/**
 * A class that is `load()` once used: constructing, calling or reading a
 * static loads it. The listed statics are themselves deferred classes, own
 * and enumerable, so enumerating them loads nothing.
 */
function deferredClass(load: () => Constructor, statics: readonly string[] = []): Constructor {
  // A strict function's own properties (no `arguments` or `caller`) leave a proxy free to forward reads.
  const target = function deferred(): void {
    "use strict";
  } as unknown as Constructor;
  const own = new Map(statics.map((name) => [name, deferredClass(() => Reflect.get(load(), name) as Constructor)]));
  for (const [name, value] of own) Object.defineProperty(target, name, { value, enumerable: true });
  return new Proxy(target, {
    construct: (_target, args) => Reflect.construct(load(), args),
    apply: (_target, self, args) => Reflect.apply(load(), self, args) as unknown,
    get: (_target, key) => {
      if (typeof key === "string" && own.has(key)) return own.get(key);
      if (key === ES_MODULE) return undefined;
      return Reflect.get(load(), key) as unknown;
    },
  });
}

function standIn(deferral: Deferral, load: () => unknown): unknown {
  return deferral.shape.kind === "namespace"
    ? deferredNamespace(load as () => object)
    : deferredClass(load as () => Constructor, deferral.shape.statics);
}

const SDK_DIR = `${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
let installed = false;

/**
 * Defers the modules above for the rest of this process, if the installed
 * SDK is the version they were checked at. Call before the SDK is loaded.
 * @returns whether they are deferred.
 */
export function deferUnusedSdkModules(sdkVersion: string = installedSdkVersion()): boolean {
  if (installed) return true;
  if (sdkVersion !== DEFERRED_FOR_SDK_VERSION) return false;
  const byRequest = new Map(DEFERRED.map((d) => [d.request, d]));
  const load = loader._load;
  loader._load = function (this: unknown, request, parent, isMain) {
    const deferral = byRequest.get(request);
    if (deferral === undefined || parent?.filename.includes(SDK_DIR) !== true) return load.call(this, request, parent, isMain);
    let real: unknown;
    return standIn(deferral, () => (real ??= load.call(this, request, parent, isMain)));
  };
  installed = true;
  return true;
}

/** The version of `@pulumi/pulumi` this process would load. */
function installedSdkVersion(): string {
  return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}
