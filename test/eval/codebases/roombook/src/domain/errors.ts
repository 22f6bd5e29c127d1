/**
 * Errors the services raise on purpose. Each carries a stable `code`; the HTTP layer maps them to
 * status codes and the command line prints their message.
 */

/** One problem with one input field, e.g. `{ field: 'capacity', message: 'must be at least 1' }`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Base of every deliberate error; anything else reaching the edges is a bug. */
export class AppError extends Error {
  /** Stable, machine-readable kind of the error, e.g. `not_found`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input is malformed: wrong types, missing fields, values out of range. */
export class ValidationError extends AppError {
  readonly problems: FieldProblem[];

  constructor(problems: FieldProblem[]) {
    super('invalid_input', problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

/** The input is well-formed but breaks a booking rule (opening hours, duration, capacity...). */
export class RuleViolationError extends AppError {
  readonly violations: string[];

  constructor(violations: string[]) {
    super('rule_violation', violations.join('; '));
    this.violations = violations;
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

/** The request clashes with the current state: a taken slot, a duplicate name, a cancelled booking. */
export class ConflictError extends AppError {
  /** Ids of the records it clashes with, when there are any. */
  readonly conflictingIds: number[];

  constructor(message: string, conflictingIds: number[] = []) {
    super('conflict', message);
    this.conflictingIds = conflictingIds;
  }
}
