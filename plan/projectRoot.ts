/**
 * The project's root directory, found from where the running code is: the
 * nearest directory above it whose package.json is this project's. It holds
 * whether the code runs as TypeScript from its sources (`pulumi up`, tests)
 * or compiled into one file under `node_modules/.cache` (`npm run plan`),
 * where `__dirname` is no longer the source file's directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The `name` in the root package.json. */
export const PROJECT_PACKAGE_NAME = "sovereign-ai-factory";

/** The nearest directory at or above `from` whose package.json is named `name`. */
export function findProjectRoot(from: string, name: string = PROJECT_PACKAGE_NAME): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown }).name === name) return dir;
      } catch {
        // not readable JSON: not ours, keep looking
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json named ${name} at or above ${from}`);
  }
}

let root: string | undefined;

/** This project's root (cached). */
export function projectRoot(): string {
  root ??= findProjectRoot(__dirname);
  return root;
}
