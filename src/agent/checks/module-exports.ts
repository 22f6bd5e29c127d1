/**
 * A module the request asks to export a function from (or to make it public), written without the
 * export: asked for "fizzbuzz.js, a CommonJS module exporting `fizzbuzz(n)`", the 1.5B model wrote
 * the function alone, ran `node fizzbuzz.js` (nothing to see), and answered; every `require` of it
 * got `{}`. Asked for "a public function `add(a: i32, b: i32) -> i32` in src/lib.rs", it wrote `fn
 * add` without `pub`; `cargo test` passed with no test calling it. The export the request names is
 * certain, so the caller makes it.
 */
import { languageFamily, languageOf } from '../../index/languages.ts';

/** What to change in a module so it exports what the request asks: its new text, and the change in words. */
export interface MissingExport {
  names: string[];
  text: string;
  /** `module.exports = { fizzbuzz };` added at its end, `pub` added to `fn add`. */
  what: string;
}

/** The names in code spans of `request`: `fizzbuzz(n)` → fizzbuzz, `add(a: i32, b: i32) -> i32` → add, `pub fn add` → add. */
function namesAsked(request: string): string[] {
  return [...new Set([...request.matchAll(/`(?:pub\s+)?(?:fn\s+|function\s+)?([A-Za-z_$][\w$]*)(?:\s*\([^`]*)?`/g)].map((m) => m[1]))];
}

/** "stop exporting `helper`", "do not export it", "make it private": the opposite. */
const notExported = /\b(not|n't|stop|no\s+longer|without|un)[\s-]*(export|pub)|\b(private|internal)\b/i;

/** What `text` (of `file`) lacks of the export `request` asks for, or undefined. */
export function missingExport(file: string, text: string, request: string): MissingExport | undefined {
  if (notExported.test(request)) return undefined;
  const language = languageOf(file);
  if (language === 'rust') return missingPub(text, request);
  if (languageFamily(language) !== 'js' || !/\bexport(s|ing|ed)?\b/i.test(request)) return undefined;
  const escape = (name: string) => name.replace(/\$/g, '\\$');
  const defines = (name: string) =>
    new RegExp(`^(?:async\\s+)?function\\s*\\*?\\s*${escape(name)}\\s*\\(|^(?:const|let|var|class)\\s+${escape(name)}\\b`, 'm').test(text);
  const exported = (name: string) =>
    new RegExp(
      `\\bmodule\\.exports\\b[^;]*\\b${escape(name)}\\b|\\bmodule\\.exports\\s*=\\s*${escape(name)}\\b|\\bexports\\.${escape(name)}\\s*=|` +
        `\\bexport\\s+(?:default\\s+)?(?:async\\s+)?(?:function\\s*\\*?|class|const|let|var)\\s*${escape(name)}\\b|\\bexport\\s*\\{[^}]*\\b${escape(name)}\\b|` +
        `\\bexport\\s+default\\s+${escape(name)}\\b`,
    ).test(text);
  const names = namesAsked(request).filter((name) => defines(name) && !exported(name));
  if (names.length === 0) return undefined;
  if (/\bmodule\.exports\s*=/.test(text)) return undefined; // an object of its own: the model's to extend
  // CommonJS unless the request or the file is ES modules
  const esm = /\bES\s*modules?\b|\bESM\b/i.test(request) || /^\s*(import|export)\s/m.test(text) || language !== 'javascript';
  const commonJs = /\bCommonJS\b/i.test(request) || /\brequire\s*\(/.test(text);
  const line = commonJs || !esm ? `module.exports = { ${names.join(', ')} };` : `export { ${names.join(', ')} };`;
  return { names, text: `${text.replace(/\s*$/, '')}\n\n${line}\n`, what: `added \`${line}\` at its end` };
}

/** A Rust function the request calls public (`pub`, "public function") that the file defines without `pub`. */
function missingPub(text: string, request: string): MissingExport | undefined {
  if (!/\bpub(lic)?\b/i.test(request)) return undefined;
  const names = namesAsked(request).filter((name) => new RegExp(`^fn\\s+${name}\\b`, 'm').test(text));
  if (names.length === 0) return undefined;
  let after = text;
  for (const name of names) after = after.replace(new RegExp(`^fn\\s+${name}\\b`, 'm'), `pub fn ${name}`);
  return { names, text: after, what: `made ${names.map((n) => `\`fn ${n}\``).join(', ')} \`pub\`` };
}
