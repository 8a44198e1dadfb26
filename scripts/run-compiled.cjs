// @ts-check
/**
 * Runs a TypeScript entry point as compiled JavaScript, in this process:
 *
 *   node scripts/run-compiled.cjs scripts/plan.ts [args...]
 *
 * The entry and every project file it imports are compiled by esbuild into
 * one CommonJS file (packages stay in node_modules and load as they ship),
 * kept under node_modules/.cache/sovereign-ai-factory/ with a stamp of what
 * it was built from and what it built: esbuild's version, the build options,
 * a SHA-256 of this script, of each input and of each output file, and, for
 * each input, the names beside it that an import could resolve to instead
 * (`b.tsx` beside `b.ts`, a folder `b/` beside `b.ts`). When any of these
 * differs (an edited source, an output edited or replaced after the build, a
 * new file that could change what an import resolves to) it is rebuilt
 * before it runs, so what runs is always what the sources say. `npm run plan`
 * uses this: no TypeScript loader and no second process, only the compiled
 * plan.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** Bumped when the build options below change, so older builds are not reused. */
const BUILD_FORMAT = 2;

/** Where compiled entries are kept under a project. */
const CACHE_DIR = path.join("node_modules", ".cache", "sovereign-ai-factory");

/**
 * @typedef {{ format: number, esbuild: string, builder: string, inputs: Record<string, string>, outputs: Record<string, string>, resolution: Record<string, string[]> }} Stamp
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

/** Whether every file of a map still has its hash (a missing file is a change). @param {string} base @param {Record<string, string>} hashes */
function sameFiles(base, hashes) {
  return Object.entries(hashes).every(([file, hash]) => {
    try {
      return sha256(path.join(base, file)) === hash;
    } catch {
      return false;
    }
  });
}

/** A file or folder name without its last extension: what an import without one would name. @param {string} name */
function stem(name) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The names in a folder that an import of `dir/base` could resolve to. @param {string} root @param {string} dir @param {string} base */
function candidates(root, dir, base) {
  try {
    return fs.readdirSync(path.join(root, dir)).filter((name) => stem(name) === base || name === base).sort();
  } catch {
    return [];
  }
}

/**
 * For each input, the names an import of it could resolve to instead: files
 * of the same stem beside it, and for an `index` file the folder's own
 * siblings of that name. A new or removed name there may change resolution,
 * so it makes the build stale. @param {string} root @param {string[]} inputs
 * @returns {Record<string, string[]>}
 */
function resolutionOf(root, inputs) {
  /** @type {Record<string, string[]>} */
  const key = {};
  for (const input of inputs) {
    const dir = path.posix.dirname(input);
    const base = stem(path.posix.basename(input));
    key[`${dir}/${base}`] = candidates(root, dir, base);
    if (base === "index" && dir !== ".") {
      const parent = path.posix.dirname(dir);
      const folder = path.posix.basename(dir);
      key[`${parent}/${folder}`] = candidates(root, parent, folder);
    }
  }
  return key;
}

/** Whether a stamp still describes the sources, the outputs and this script. @param {string} root @param {string} dir @param {Stamp} stamp */
function unchanged(root, dir, stamp) {
  if (stamp.builder !== sha256(__filename)) return false;
  if (!sameFiles(root, stamp.inputs) || !sameFiles(dir, stamp.outputs)) return false;
  return JSON.stringify(resolutionOf(root, Object.keys(stamp.inputs))) === JSON.stringify(stamp.resolution);
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
  if (stamp && stamp.format === BUILD_FORMAT && stamp.esbuild === esbuildVersion && fs.existsSync(outfile) && unchanged(target.root, dir, stamp)) {
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
  /** @type {Record<string, string>} */
  const outputs = {};
  fs.mkdirSync(dir, { recursive: true });
  for (const out of result.outputFiles) {
    writeAtomically(out.path, out.contents);
    outputs[path.relative(dir, out.path)] = crypto.createHash("sha256").update(out.contents).digest("hex");
  }
  const resolution = resolutionOf(target.root, Object.keys(inputs));
  /** @type {Stamp} */
  const next = { format: BUILD_FORMAT, esbuild: esbuildVersion, builder: sha256(__filename), inputs, outputs, resolution };
  writeAtomically(stampFile, `${JSON.stringify(next, null, 2)}\n`);
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
