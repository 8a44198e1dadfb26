/**
 * The pack's test "does this key name a place" (`isLocationKey` in
 * policies/lib/locations.ts) spelled as two RE2 patterns, generated from the
 * pack's own word lists, so that CEL in the API server judges the same keys.
 *
 * The pack splits a key's last segment into words (at separators and at
 * lower-to-upper case changes), drops one trailing suffix word (`name`,
 * `id`, `code`) and asks whether the last word (or the last two joined) is a
 * place word. RE2 has no look-around, so the patterns spell each place word
 * in the three casings keys are written in (`zone`, `Zone`, `ZONE`), joined
 * to what comes before and after only where the pack would split words.
 * Compound place words are spelled as their natural two words
 * (`data`+`center`, `failure`+`domain`, `location`+`constraint`); a split the
 * pack also accepts by accident (`reGion`) is not spelled.
 */
import { DNS_ZONE_KEYS, NOT_PLACE_BEFORE_LOCATION, PLACE_WORDS, SUFFIXES } from "../../policies/lib/locations";

/** One casing of a word, and the cases of its first and last letters. */
interface Variant {
  readonly re: string;
  readonly firstUpper: boolean;
  readonly lastLower: boolean;
}

/** A separator inside a key's last segment (anything but a letter, a digit, `/` or `.`). */
const SEP = "[^A-Za-z0-9/.]";
/** Anything inside the last segment. */
const ANY = "[^/.]*";
/** The start of a key's last segment. */
const SEGMENT = "(?:^|[/.])";

const cap = (w: string) => `${w.charAt(0).toUpperCase()}${w.slice(1)}`;

/** The three casings of one word. */
function casings(word: string): Variant[] {
  return [
    { re: word, firstUpper: false, lastLower: true },
    { re: cap(word), firstUpper: true, lastLower: true },
    { re: word.toUpperCase(), firstUpper: true, lastLower: false },
  ];
}

/** Two words as the pack reads them: joined by separators, or by a case change. */
function twoWords(a: readonly Variant[], b: readonly Variant[]): Variant[] {
  const out: Variant[] = [];
  for (const x of a) {
    for (const y of b) {
      out.push({ re: `${x.re}${SEP}+${y.re}`, firstUpper: x.firstUpper, lastLower: y.lastLower });
      if (x.lastLower && y.firstUpper) out.push({ re: `${x.re}${y.re}`, firstUpper: x.firstUpper, lastLower: y.lastLower });
    }
  }
  return out;
}

/** Place words written as two words (the pack joins the last two words of a key). */
const COMPOUNDS: Readonly<Record<string, readonly [string, string]>> = {
  datacenter: ["data", "center"],
  datacenters: ["data", "centers"],
  failuredomain: ["failure", "domain"],
  failuredomains: ["failure", "domains"],
  locationconstraint: ["location", "constraint"],
};

/** Every spelling of a place word. */
function placeVariants(word: string): Variant[] {
  const parts = COMPOUNDS[word];
  return parts === undefined ? casings(word) : [...casings(word), ...twoWords(casings(parts[0]), casings(parts[1]))];
}

const alt = (items: readonly string[]) => `(?:${items.join("|")})`;

/** What may come before a word starting with this variant: nothing, a separator, or a lower-to-upper case change. */
function before(v: Variant): string {
  return v.firstUpper ? alt(["", `${ANY}${SEP}`, `${ANY}[a-z0-9]`]) : alt(["", `${ANY}${SEP}`]);
}

/** What may follow a place word: separators, and at most one suffix word. */
function after(v: Variant): string {
  const suffixes = [...SUFFIXES].flatMap(casings);
  const options = [`${SEP}*`, `${SEP}+${alt(suffixes.map((s) => s.re))}${SEP}*`];
  const camel = suffixes.filter((s) => s.firstUpper).map((s) => s.re);
  if (v.lastLower) options.push(`${alt(camel)}${SEP}*`);
  return `${alt(options)}$`;
}

/** A pattern for keys whose last segment ends in one of these word variants (and an optional suffix). */
function endingIn(variants: readonly Variant[]): string {
  return alt(variants.map((v) => `${SEGMENT}${before(v)}${v.re}${after(v)}`));
}

/** RE2 pattern: the key's last segment ends in a place word. */
export const PLACE_KEY_PATTERN = endingIn([...PLACE_WORDS].flatMap(placeVariants));

/** RE2 pattern: keys that end in a place word and still name no place (time and DNS zones, files, Velero's objects). */
export const NOT_PLACE_KEY_PATTERN = alt([
  `${SEGMENT}${ANY}(?i:time[-_]?zone|dns[-_]?zone|hosted[-_]?zone|private[-_]?zone|managed[-_]?zone)${ANY}$`,
  `${SEGMENT}${alt([...DNS_ZONE_KEYS])}$`,
  endingIn(
    [...NOT_PLACE_BEFORE_LOCATION].flatMap((b) => [...twoWords(casings(b), casings("location")), ...twoWords(casings(b), casings("locations"))]),
  ),
]);

/** CEL: whether the string expression `key` names a place, as the pack decides. */
export function celIsPlaceKey(key: string): string {
  return `(${key}.matches(r'${PLACE_KEY_PATTERN}') && !${key}.matches(r'${NOT_PLACE_KEY_PATTERN}'))`;
}
