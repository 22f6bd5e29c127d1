/**
 * The one parser for the whole numbers a person types (flags, slash commands): digits only, from
 * 1 to a maximum (a setting's declared maximum where the flag overrides a setting).
 */
import { InvalidArgumentError } from 'commander';

/** The largest whole number accepted when nothing smaller is declared. */
export const maxWholeNumber = Number.MAX_SAFE_INTEGER;

/** `text` as a whole number from 1 to `max`, or undefined when it is not one. */
export function parsePositiveInteger(text: string, max: number = maxWholeNumber): number | undefined {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= 1 && value <= max ? value : undefined;
}

/** What `parsePositiveInteger(_, max)` accepts, in words for an error message. */
export function positiveIntegerRange(max: number = maxWholeNumber): string {
  return `a whole number from 1 to ${max}`;
}

/** A commander option parser for a whole number from 1 to `max`. */
export function positiveIntegerOption(max: number = maxWholeNumber): (text: string) => number {
  return (text) => {
    const value = parsePositiveInteger(text, max);
    if (value === undefined) throw new InvalidArgumentError(`expected ${positiveIntegerRange(max)}, not "${text}".`);
    return value;
  };
}
