/**
 * What an asset in a resource's inputs says, read by the program itself:
 * Helm values given as a `FileAsset` or `StringAsset` (`valueYamlFiles`)
 * configure the chart exactly as `values` do, and the policy pack, which
 * receives a file asset's path and not its text, cannot read them. The guard
 * rails run in the program's own process, so they read the file and judge
 * its text as the pack judges a string. An asset that cannot be read here
 * either (a remote URI, an archive, a missing file) is handed to the pack in
 * its wire form, which the pack refuses (`policies/lib/assets.ts`).
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { ARCHIVE_SIG, ASSET_SIG, SIG_KEY } from "../policies/lib/assets";

function isAsset(value: unknown): value is Record<string, unknown> {
  return pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value);
}

/** Whether the inputs hold an asset or archive (outside Outputs, which are judged once known). */
export function hasAssets(value: unknown): boolean {
  if (isAsset(value)) return true;
  if (value === null || typeof value !== "object" || pulumi.Output.isInstance(value) || value instanceof Promise || pulumi.Resource.isInstance(value)) return false;
  if (Array.isArray(value)) return value.some(hasAssets);
  return Object.values(value).some(hasAssets);
}

/**
 * A file's text, or undefined when it cannot be read. A relative path is
 * read from the working directory, as the engine reads it (the CLI runs the
 * program in its project directory).
 */
async function fileText(file: string): Promise<string | undefined> {
  try {
    return await readFile(path.resolve(file), "utf8");
  } catch {
    return undefined;
  }
}

/** An asset's text when it can be read here, otherwise its wire form with its fields known. */
async function contents(asset: Record<string, unknown>): Promise<unknown> {
  const archive = pulumi.asset.Archive.isInstance(asset);
  // Fields are promises on the SDK's objects and plain values once an Output has carried them.
  const [file, text, uri] = await Promise.all<unknown>([asset["path"], asset["text"], asset["uri"]]);
  if (!archive) {
    if (typeof text === "string") return text;
    const local = typeof file === "string" ? file : typeof uri === "string" && uri.startsWith("file://") ? fileURLToPath(uri) : undefined;
    const read = local === undefined ? undefined : await fileText(local);
    if (read !== undefined) return read;
  }
  const wire: Record<string, unknown> = { [SIG_KEY]: archive ? ARCHIVE_SIG : ASSET_SIG };
  if (typeof file === "string") wire["path"] = file;
  if (typeof uri === "string") wire["uri"] = uri;
  return wire;
}

/**
 * The inputs with every asset replaced by its text (or, when it cannot be
 * read, by its wire form); Outputs, promises and resources are left as they
 * are.
 */
export async function withAssetContents(value: unknown): Promise<unknown> {
  if (isAsset(value)) return contents(value);
  if (value === null || typeof value !== "object" || pulumi.Output.isInstance(value) || value instanceof Promise || pulumi.Resource.isInstance(value)) return value;
  if (Array.isArray(value)) return Promise.all(value.map(withAssetContents));
  const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await withAssetContents(v)] as const));
  return Object.fromEntries(entries);
}
