/**
 * The identifier-like tokens of a file and how often each occurs: what the index keeps to rank
 * files and to know which files can mention a name. A token is `[A-Za-z_$][A-Za-z0-9_$]+`.
 *
 * Done in one pass over the characters with a small open-addressing table keyed by the token's
 * characters in place: a token seen before in the file costs no new string and one probe, and
 * only distinct tokens are sliced out. (A global regex plus a Map allocated a string per
 * occurrence and hashed it again: ~1.5x the time on real code, and more garbage.)
 */

/**
 * Reserved words of the indexed languages that are never a name of a definition (words like
 * `match`, `use` or `ref` are keywords somewhere but common function names elsewhere, so they stay).
 */
const keywords: ReadonlySet<string> = new Set(
  (
    'if else elif elsif for while do switch case break continue return function class def const let var new import ' +
    'from export default in of is not and or as try catch except finally raise throw throws async await yield static ' +
    'public private protected void struct enum union typedef namespace template typename fn impl pub mut trait ' +
    'interface extends implements func defer chan fi esac lambda pass nonlocal del goto ifdef ifndef endif unless ' +
    'until sizeof typeof instanceof keyof readonly abstract final override virtual extern inline volatile unsigned ' +
    'signed int char float double long short bool boolean true false null nil None True False undefined this self'
  ).split(' '),
);

/** Per ASCII code: 1 = can start a token, 2 = can continue one. */
const charKinds = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_$]/.test(ch)) charKinds[c] = 3;
  else if (/[0-9]/.test(ch)) charKinds[c] = 2;
}

const emptySlot = -1;

/** Distinct identifier-like tokens (2+ characters, no reserved words) in order of first use, with their counts. */
export function tokenize(text: string): { tokens: string[]; counts: number[] } {
  // entries: every distinct token, keywords included (so that a repeated keyword is one probe too)
  const names: string[] = [];
  const hashes: number[] = [];
  const counts: number[] = [];
  let slots = new Int32Array(1024).fill(emptySlot);
  let mask = slots.length - 1;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const first = text.charCodeAt(i);
    if (first >= 128 || (charKinds[first] & 1) === 0) {
      i++;
      continue;
    }
    let hash = Math.imul(first ^ 0x811c9dc5, 0x01000193);
    let end = i + 1;
    for (; end < length; end++) {
      const c = text.charCodeAt(end);
      if (c >= 128 || charKinds[c] === 0) break;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    const size = end - i;
    if (size >= 2) {
      let slot = hash & mask;
      for (;;) {
        const entry = slots[slot];
        if (entry === emptySlot) {
          const name = text.slice(i, end);
          slots[slot] = names.length;
          names.push(name);
          hashes.push(hash);
          counts.push(keywords.has(name) ? -1 : 1);
          if (names.length * 2 > slots.length) {
            slots = grown(hashes, slots.length * 2);
            mask = slots.length - 1;
          }
          break;
        }
        if (hashes[entry] === hash && names[entry].length === size && same(names[entry], text, i)) {
          if (counts[entry] > 0) counts[entry]++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    i = end;
  }
  const tokens: string[] = [];
  const tokenCounts: number[] = [];
  for (let e = 0; e < names.length; e++) {
    if (counts[e] < 0) continue;
    tokens.push(names[e]);
    tokenCounts.push(counts[e]);
  }
  return { tokens, counts: tokenCounts };
}

/** A table of `size` slots holding every entry again. */
function grown(hashes: readonly number[], size: number): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size).fill(emptySlot);
  const mask = size - 1;
  for (let e = 0; e < hashes.length; e++) {
    let slot = hashes[e] & mask;
    while (slots[slot] !== emptySlot) slot = (slot + 1) & mask;
    slots[slot] = e;
  }
  return slots;
}

/** Whether `text` holds `name` at `at` (for tokens this short, cheaper than `startsWith`). */
function same(name: string, text: string, at: number): boolean {
  for (let k = 0; k < name.length; k++) if (name.charCodeAt(k) !== text.charCodeAt(at + k)) return false;
  return true;
}
