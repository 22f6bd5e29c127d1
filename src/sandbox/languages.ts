/**
 * The languages `run_in_sandbox` runs from source: the rows of the language table
 * (src/languages/) with a `snippet` part, i.e. where the code is written in the work directory
 * and the shell command that builds and runs it.
 */
import type { SnippetPart } from '../languages/language-row.ts';
import { languageNamed, languageRow, languagesWith } from '../languages/languages.ts';

export interface LanguageRecipe extends SnippetPart {
  /** Canonical name shown to the model. */
  name: string;
}

/** Names accepted for `language` (canonical ones), in table order. */
export const supportedLanguages: readonly string[] = languagesWith('snippet');

/** The recipe for a language name or alias (case-insensitive), or `undefined`. */
export function languageRecipe(language: string): LanguageRecipe | undefined {
  const name = languageNamed(language.trim());
  const snippet = name ? languageRow(name).snippet : undefined;
  return snippet && name ? { name, ...snippet } : undefined;
}
