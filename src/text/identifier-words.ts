/**
 * The words of an identifier or a sentence: camelCase, PascalCase, snake_case and kebab-case split,
 * lower case (`HTTPServer` → http, server; `stop_running_timer` → stop, running, timer). Digits stay
 * in their word. What rank-files, similar-names and the question trace each build on.
 */
export function identifierWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}
