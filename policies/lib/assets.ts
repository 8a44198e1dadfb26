/**
 * Assets and archives in a resource's inputs (Helm's `valueYamlFiles`: a
 * Release's or Chart's values given as a `FileAsset` or `StringAsset`). What
 * is in them configures the chart exactly as `values` does, so it is judged
 * like `values`: an asset whose text the pack has is replaced by that text
 * (a string, which the scanners read as the document it is); one whose
 * contents the pack cannot read (a file on the program's machine, a remote
 * URI, an archive) is refused by norwegian-region-only, since what cannot be
 * read cannot be judged.
 *
 * The pack meets an asset in two shapes (@pulumi/pulumi 3.248.0
 * `runtime/rpc.ts`, @pulumi/policy 1.21.0 `deserialize.ts`):
 * - the wire form, `{ [specialSigKey]: specialAssetSig, path | text | uri }`
 *   (archives: `specialArchiveSig`, `path | uri | assets`), as the offline
 *   plan records it;
 * - the SDK's objects (`FileAsset`, `StringAsset`, `RemoteAsset`, archives),
 *   as the analyzer deserialises the engine's request into, each field a
 *   promise: `path` for a file (its text is not sent), `text` for a string.
 */
import { isRecord } from "./walk";

/** `specialSigKey`, `specialAssetSig` and `specialArchiveSig` of @pulumi/pulumi 3.248.0 `runtime/rpc.ts`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** The SDK's marker fields (`Asset.__pulumiAsset`, `Archive.__pulumiArchive`), which work across SDK copies. */
const ASSET_MARK = "__pulumiAsset";
const ARCHIVE_MARK = "__pulumiArchive";

/** What an asset or archive is, once its fields are known. */
export type AssetFields = { readonly archive: boolean; readonly path?: unknown; readonly text?: unknown; readonly uri?: unknown };

/** Whether a value is an asset or archive, in either shape. */
export function isAssetLike(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const sig = value[SIG_KEY];
  return sig === ASSET_SIG || sig === ARCHIVE_SIG || value[ASSET_MARK] === true || value[ARCHIVE_MARK] === true;
}

function isArchive(value: Record<string, unknown>): boolean {
  return value[SIG_KEY] === ARCHIVE_SIG || value[ARCHIVE_MARK] === true;
}

/** Whether an SDK object's fields are still promises (the analyzer's shape). */
function isPending(value: Record<string, unknown>): boolean {
  return ["path", "text", "uri", "assets"].some((k) => value[k] instanceof Promise);
}

/** An asset's text when it carries its text (a string asset), otherwise the asset as it is. */
function readable(value: Record<string, unknown>): unknown {
  return !isArchive(value) && typeof value["text"] === "string" ? value["text"] : value;
}

/** The asset's fields, resolved (the analyzer's objects hold promises). */
async function resolved(value: Record<string, unknown>): Promise<Record<string, unknown>> {
  const archive = isArchive(value);
  const [path, text, uri] = await Promise.all<unknown>([value["path"], value["text"], value["uri"]]);
  const fields: Record<string, unknown> = { [SIG_KEY]: archive ? ARCHIVE_SIG : ASSET_SIG };
  if (typeof path === "string") fields["path"] = path;
  if (typeof text === "string" && !archive) fields["text"] = text;
  if (typeof uri === "string") fields["uri"] = uri;
  if (archive && value["assets"] !== undefined) fields["assets"] = {};
  return fields;
}

function replaceKnown(value: unknown): unknown {
  if (isAssetLike(value)) return readable(value);
  if (Array.isArray(value)) return value.map(replaceKnown);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceKnown(v);
    return out;
  }
  return value;
}

async function replacePending(value: unknown): Promise<unknown> {
  if (isAssetLike(value)) return readable(isPending(value) ? await resolved(value) : value);
  if (Array.isArray(value)) return Promise.all(value.map(replacePending));
  if (isRecord(value)) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await replacePending(v)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

/** Whether any value below is an asset or archive (`pending`: one whose fields are still promises). */
function findAsset(value: unknown, pending: boolean): boolean {
  if (isAssetLike(value)) return !pending || isPending(value);
  if (Array.isArray(value)) return value.some((v) => findAsset(v, pending));
  if (isRecord(value)) {
    for (const key in value) if (findAsset(value[key], pending)) return true;
  }
  return false;
}

/** Answers by props object: the direct run hands every policy the same object, so each resource is walked once. */
const walked = new WeakMap<object, boolean>();

/** Whether any value below is an asset or archive. */
export function containsAsset(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  let found = walked.get(value);
  if (found === undefined) {
    found = findAsset(value, false);
    walked.set(value, found);
  }
  return found;
}

/**
 * The properties with every asset that carries its text replaced by the text,
 * and every other asset in its wire form: at once when nothing is pending
 * (the props themselves when they hold no asset), or a promise when the
 * analyzer's asset objects must be awaited.
 */
export function withAssetText(props: Record<string, unknown>): Record<string, unknown> | Promise<Record<string, unknown>> {
  if (!containsAsset(props)) return props;
  if (!findAsset(props, true)) return replaceKnown(props) as Record<string, unknown>;
  return replacePending(props) as Promise<Record<string, unknown>>;
}

/** One asset or archive whose contents the pack cannot read. */
export interface UnreadableAsset {
  /** Its path among the properties (`valueYamlFiles[0]`). */
  readonly path: string;
  /** What it is (`a file asset (values.yaml)`). */
  readonly what: string;
}

/** Every asset or archive left in the properties after `withAssetText`: files, remote URIs and archives. */
export function unreadableAssets(props: unknown, path = ""): UnreadableAsset[] {
  if (isAssetLike(props)) {
    const kind = isArchive(props) ? "archive" : "asset";
    const where = typeof props["path"] === "string" ? `a file ${kind} (${props["path"]})` : typeof props["uri"] === "string" ? `a remote ${kind} (${props["uri"]})` : `an ${kind}`;
    return [{ path, what: where }];
  }
  if (Array.isArray(props)) return props.flatMap((v, i) => unreadableAssets(v, `${path}[${i}]`));
  if (isRecord(props)) {
    return Object.entries(props).flatMap(([k, v]) => unreadableAssets(v, path === "" ? k : `${path}.${k}`));
  }
  return [];
}
