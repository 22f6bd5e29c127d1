/** An error caused by the user's input or machine state; the CLI prints only its message. */
export class UserError extends Error {
  constructor(
    message: string,
    /** The process exit code: 2 (bad input or setup) unless said otherwise, e.g. 130 after Ctrl-C. */
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
