/** An error caused by the user's input or machine state; the CLI prints only its message. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
