/**
 * A JavaScript or TypeScript module the request asks to export a function, written without the
 * export: asked for "fizzbuzz.js, a CommonJS module exporting `fizzbuzz(n)`", the 1.5B model wrote
 * the function alone, ran `node fizzbuzz.js` (nothing to see), and answered; every `require` of it
 * got `{}`. The export the request names is certain, so the caller adds it.
 */
import { languageFamily, languageOf } from '../index/languages.ts';

/** The export line to add to `text` (of `file`) for what `request` asks it to export, or undefined. */
export function missingExport(file: string, text: string, request: string): { names: string[]; line: string } | undefined {
  if (languageFamily(languageOf(file)) !== 'js') return undefined;
  if (!/\bexport(s|ing|ed)?\b/i.test(request)) return undefined;
  // "stop exporting `helper`", "do not export it", "unexported": the opposite
  if (/\b(not|n't|stop|no\s+longer|without|un)[\s-]*export|\b(private|internal)\b/i.test(request)) return undefined;
  // the names in code spans of the request, `fizzbuzz(n)` → fizzbuzz
  const asked = [...request.matchAll(/`([A-Za-z_$][\w$]*)\s*(\([^`]*\))?`/g)].map((m) => m[1]);
  const escape = (name: string) => name.replace(/\$/g, '\\$');
  const defines = (name: string) =>
    new RegExp(`^(?:async\\s+)?function\\s*\\*?\\s*${escape(name)}\\s*\\(|^(?:const|let|var|class)\\s+${escape(name)}\\b`, 'm').test(text);
  const exported = (name: string) =>
    new RegExp(
      `\\bmodule\\.exports\\b[^;]*\\b${escape(name)}\\b|\\bmodule\\.exports\\s*=\\s*${escape(name)}\\b|\\bexports\\.${escape(name)}\\s*=|` +
        `\\bexport\\s+(?:default\\s+)?(?:async\\s+)?(?:function\\s*\\*?|class|const|let|var)\\s*${escape(name)}\\b|\\bexport\\s*\\{[^}]*\\b${escape(name)}\\b|` +
        `\\bexport\\s+default\\s+${escape(name)}\\b`,
    ).test(text);
  const names = [...new Set(asked)].filter((name) => defines(name) && !exported(name));
  if (names.length === 0) return undefined;
  // a file that already exports some other way keeps its way; CommonJS unless the request or the file is ES modules
  const esm = /\bES\s*modules?\b|\bESM\b/i.test(request) || /^\s*(import|export)\s/m.test(text) || languageOf(file) !== 'javascript';
  const commonJs = /\bCommonJS\b/i.test(request) || /\brequire\s*\(|\bmodule\.exports\b/.test(text);
  const line = commonJs || !esm ? `module.exports = { ${names.join(', ')} };` : `export { ${names.join(', ')} };`;
  if (/\bmodule\.exports\s*=/.test(text)) return undefined; // an object of its own: the model's to extend
  return { names, line };
}
