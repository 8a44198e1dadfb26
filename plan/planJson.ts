/**
 * Writing `plan.json` without building it as one string: at 20,000
 * resources the document is over 100 MB of text, and `JSON.stringify` of the
 * whole would hold it all at once (with the document itself) at the plan's
 * busiest moment. The last key's array is written element by element
 * instead, byte for byte as `JSON.stringify(document, null, 2)` writes it
 * (indentation depends only on depth, and a string's line breaks are
 * escaped, so an element's text is its own text indented two levels).
 */
import * as fs from "node:fs";

/** How much text is gathered before it is written. */
const CHUNK = 1 << 20;

/**
 * Writes `${JSON.stringify(document, null, 2)}\n` to `file`, streaming the
 * array under `key`, which must be the document's last key.
 */
export function writeJsonWithArray<K extends string>(file: string, document: { readonly [P in K]: readonly unknown[] } & object, key: K): void {
  const keys = Object.keys(document);
  if (keys[keys.length - 1] !== key) throw new Error(`writeJsonWithArray: '${key}' must be the document's last key`);
  const items = document[key];
  const empty = `${JSON.stringify({ ...document, [key]: [] }, null, 2)}\n`;
  if (items.length === 0) {
    fs.writeFileSync(file, empty);
    return;
  }
  // `...  "KEY": []\n}\n`: everything before the empty array is the head.
  const head = empty.slice(0, empty.length - "[]\n}\n".length);
  const fd = fs.openSync(file, "w");
  try {
    let pending = `${head}[\n`;
    items.forEach((item, i) => {
      pending += `    ${(JSON.stringify(item, null, 2) ?? "null").replace(/\n/g, "\n    ")}${i < items.length - 1 ? ",\n" : "\n"}`;
      if (pending.length >= CHUNK) {
        fs.writeSync(fd, pending);
        pending = "";
      }
    });
    fs.writeSync(fd, `${pending}  ]\n}\n`);
  } finally {
    fs.closeSync(fd);
  }
}
