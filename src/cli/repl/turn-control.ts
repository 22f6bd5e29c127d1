/**
 * The running turn's AbortController, shared by the session loop (SIGINT while a turn runs) and
 * the approval prompt (Ctrl-C while it asks), so either can cancel the turn and only the turn.
 */
export class TurnControl {
  private controller: AbortController | undefined;
  private ended: (() => void) | undefined;
  private endedPromise: Promise<void> = Promise.resolve();

  constructor(private readonly onCancel: () => void = () => {}) {}

  /** Starts a turn; returns its signal. */
  begin(): AbortSignal {
    this.controller = new AbortController();
    this.endedPromise = new Promise((resolve) => (this.ended = resolve));
    return this.controller.signal;
  }

  /** The turn ended (normally or not). */
  end(): void {
    this.controller = undefined;
    this.ended?.();
    this.ended = undefined;
  }

  /** Resolves once no turn is running (at once when none is). */
  idle(): Promise<void> {
    return this.endedPromise;
  }

  /** Cancels the running turn, once; false when none is running or it is already cancelled. */
  cancel(): boolean {
    if (!this.controller || this.controller.signal.aborted) return false;
    this.onCancel();
    this.controller.abort(new Error('Cancelled with Ctrl-C.'));
    return true;
  }

  get running(): boolean {
    return this.controller !== undefined;
  }
}
