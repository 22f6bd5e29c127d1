/**
 * The one parser for the whole numbers a person types (flags, slash commands): digits only, from
 * 1 to a maximum (a setting's declared maximum where the flag overrides a setting).
 */
import { InvalidArgumentError } from 'commander';
import { maxWholeNumber, parseWholeNumber, wholeNumberRange } from '../config/whole-number.ts';

export { maxWholeNumber };

/** `text` as a whole number from 1 to `max`, or undefined when it is not one. */
export function parsePositiveInteger(text: string, max: number = maxWholeNumber): number | undefined {
  return parseWholeNumber(text, max);
}

/** What `parsePositiveInteger(_, max)` accepts, in words for an error message. */
export function positiveIntegerRange(max: number = maxWholeNumber): string {
  return wholeNumberRange(max);
}

/** A commander option parser for a whole number from 1 to `max`. */
export function positiveIntegerOption(max: number = maxWholeNumber): (text: string) => number {
  return (text) => {
    const value = parsePositiveInteger(text, max);
    if (value === undefined) throw new InvalidArgumentError(`expected ${positiveIntegerRange(max)}, not "${text}".`);
    return value;
  };
}
