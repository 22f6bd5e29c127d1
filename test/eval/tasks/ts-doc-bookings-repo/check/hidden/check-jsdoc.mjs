// Hidden check: every exported function of the module has a JSDoc comment that says something,
// and the code itself is unchanged (comments and whitespace aside).
import fs from 'node:fs';

const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
const original = fs.readFileSync('hidden/original.ts', 'utf8');
const problems = [];

/** The text without comments and whitespace; strings and template literals are kept. */
function code(source) {
  let out = '';
  let i = 0;
  let quote = null;
  while (i < source.length) {
    const c = source[i];
    if (quote) {
      out += c;
      if (c === '\\') {
        out += source[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
      out += c;
      i++;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/\s+/g, '');
}

if (code(text) !== code(original)) problems.push(`${file}: the code changed; only comments were to be added`);

const lines = text.split('\n');
lines.forEach((line, index) => {
  const m = /^export\s+(?:async\s+)?function\s+(\w+)/.exec(line);
  if (!m) return;
  let j = index - 1;
  while (j >= 0 && lines[j].trim() === '') j--;
  if (j < 0 || !lines[j].trim().endsWith('*/')) return problems.push(`${m[1]}: no doc comment right above it`);
  let k = j;
  while (k >= 0 && !lines[k].includes('/*')) k--;
  if (k < 0 || !lines[k].includes('/**')) return problems.push(`${m[1]}: the comment above it is not a JSDoc comment (/** ... */)`);
  const body = lines.slice(k, j + 1).join('\n').replace(/\/\*\*|\*\//g, '').replace(/^\s*\*/gm, '');
  const description = body.split(/^\s*@/m)[0];
  const words = description.match(/[A-Za-z]{2,}/g) ?? [];
  if (words.length < 4) problems.push(`${m[1]}: its JSDoc does not say what it does (${words.length} words)`);
});

if (problems.length) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log(`${file}: every exported function is documented`);
