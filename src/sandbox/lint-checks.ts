/**
 * The checks that run in the sandbox after a change is applied, one per language: the `lint`
 * parts of the language table (src/languages/), each with the files it reads, the command on a
 * list of files, how its output becomes `file:line: message` diagnostics, and how much of the
 * project it reads. The keys are the `lint.<language>` settings (src/config/schema.ts).
 */
import path from 'node:path';
import type { LintPart } from '../languages/language-row.ts';
import { languageRow, languagesWith, type LanguageWith } from '../languages/languages.ts';

export type { LintProject } from '../languages/language-row.ts';
export { shellQuote } from '../languages/shell-quote.ts';

/** A language with a check (and a `lint.<language>` setting). */
export type LintLanguage = LanguageWith<'lint'>;

export interface LintCheck extends LintPart {
  /** Lower-case extensions with the dot. */
  extensions: readonly string[];
}

export const lintLanguages: LintLanguage[] = languagesWith('lint');

/** Every check, by language. */
export const lintChecks = Object.fromEntries(
  lintLanguages.map((language) => {
    const row = languageRow(language);
    return [language, { ...row.lint!, extensions: row.lint!.extensions ?? row.extensions }];
  }),
) as Record<LintLanguage, LintCheck>;

const byExtension = new Map<string, LintLanguage>();
for (const language of lintLanguages) for (const ext of lintChecks[language].extensions) byExtension.set(ext, language);

/** The language whose check reads `file`, by its extension; undefined when none does. */
export function lintLanguageOf(file: string): LintLanguage | undefined {
  const ext = path.posix.extname(file).toLowerCase();
  return ext ? byExtension.get(ext) : undefined;
}
