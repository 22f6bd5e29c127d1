/**
 * The one parser for the whole numbers a person types (flags, slash commands, eval flags):
 * digits only, within a range (a setting's declared range where the number overrides a setting).
 */

/** The largest whole number accepted when nothing smaller is declared. */
export const maxWholeNumber = Number.MAX_SAFE_INTEGER;

/** `text` as a whole number from `min` (default 1) to `max`, or undefined when it is not one. */
export function parseWholeNumber(text: string, max: number = maxWholeNumber, min = 1): number | undefined {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

/** What `parseWholeNumber(_, max, min)` accepts, in words for an error message. */
export function wholeNumberRange(max: number = maxWholeNumber, min = 1): string {
  return `a whole number from ${min} to ${max}`;
}
