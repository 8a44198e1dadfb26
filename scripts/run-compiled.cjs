// @ts-check
/**
 * Runs a TypeScript entry point as compiled JavaScript, in this process:
 *
 *   node scripts/run-compiled.cjs scripts/plan.ts [args...]
 *
 * The entry and every project file it imports are compiled by esbuild into
 * one CommonJS file (packages stay in node_modules and load as they ship),
 * kept under node_modules/.cache/sovereign-ai-factory/ with a stamp of what
 * it was built from: esbuild's version, the build options, and a SHA-256 of
 * each input. When any input differs, it is rebuilt before it runs, so an
 * edited source always runs as edited. `npm run plan` uses this: no
 * TypeScript loader and no second process, only the compiled plan.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** Bumped when the build options below change, so older builds are not reused. */
const BUILD_FORMAT = 1;

/** Where compiled entries are kept under a project. */
const CACHE_DIR = path.join("node_modules", ".cache", "sovereign-ai-factory");

/**
 * @typedef {{ format: number, esbuild: string, inputs: Record<string, string> }} Stamp
 * @typedef {{ root: string, entry: string, cacheDir?: string }} Target
 */

/** @param {string} file */
function sha256(file) {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** @param {string} file @returns {Stamp | undefined} */
function readStamp(file) {
  try {
    return /** @type {Stamp} */ (JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return undefined;
  }
}

/** Whether every input of a stamp is unchanged (a missing input is a change). @param {string} root @param {Stamp} stamp */
function unchanged(root, stamp) {
  return Object.entries(stamp.inputs).every(([input, hash]) => {
    try {
      return sha256(path.join(root, input)) === hash;
    } catch {
      return false;
    }
  });
}

/** Writes a file whole or not at all, so a concurrent run never reads half of it. @param {string} file @param {string | Uint8Array} data */
function writeAtomically(file, data) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

/** The compiled file's path, its stamp's path and the esbuild version for a target. @param {Target} target */
function locate(target) {
  const dir = path.resolve(target.root, target.cacheDir ?? CACHE_DIR);
  const name = target.entry.replace(/\.[cm]?tsx?$/, "").replace(/[\\/]/g, "-");
  return { dir, outfile: path.join(dir, `${name}.cjs`), stampFile: path.join(dir, `${name}.stamp.json`) };
}

/**
 * The compiled form of an entry point, built now if it is missing or any of
 * its inputs changed since it was built.
 * @param {Target} target
 * @returns {{ file: string, rebuilt: boolean }}
 */
function compiled(target) {
  const { dir, outfile, stampFile } = locate(target);
  const esbuildVersion = /** @type {{ version: string }} */ (require("esbuild/package.json")).version;
  const stamp = readStamp(stampFile);
  if (stamp && stamp.format === BUILD_FORMAT && stamp.esbuild === esbuildVersion && fs.existsSync(outfile) && unchanged(target.root, stamp)) {
    return { file: outfile, rebuilt: false };
  }
  const esbuild = require("esbuild");
  const result = esbuild.buildSync({
    absWorkingDir: target.root,
    entryPoints: [target.entry],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "error",
  });
  /** @type {Record<string, string>} */
  const inputs = {};
  const tsconfig = path.join(target.root, "tsconfig.json");
  for (const input of [...Object.keys(result.metafile.inputs), ...(fs.existsSync(tsconfig) ? ["tsconfig.json"] : [])]) {
    inputs[input] = sha256(path.join(target.root, input));
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const out of result.outputFiles) writeAtomically(out.path, out.contents);
  writeAtomically(stampFile, `${JSON.stringify({ format: BUILD_FORMAT, esbuild: esbuildVersion, inputs }, null, 2)}\n`);
  return { file: outfile, rebuilt: true };
}

/** Compiles (if needed) and runs an entry point with the given arguments, as if node ran it. @param {Target} target @param {string[]} args */
function run(target, args) {
  const { file } = compiled(target);
  // Source maps stay off, as in plain node: turning them on costs about 0.1 s
  // here, reading the map of every SDK file. With NODE_OPTIONS=--enable-source-maps
  // an error points at the TypeScript sources (the map is written beside the file).
  process.argv = [process.argv[0] ?? process.execPath, file, ...args];
  require(file);
}

module.exports = { compiled, CACHE_DIR };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (entry === undefined) {
    console.error("usage: node scripts/run-compiled.cjs ENTRY.ts [args...]");
    process.exit(2);
  }
  run({ root: path.resolve(__dirname, ".."), entry }, args);
}
