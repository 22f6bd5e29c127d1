/**
 * What one task's turn did, counted from the agent's events as they happen: model steps and how
 * many were valid actions, file-changing actions and how many could not be applied as the model
 * asked, and steps cut off at the token limit.
 */
import type { AgentEvent } from '../agent/events.ts';
import { type DoubtRequest, type InfillRequest, ModelError, type LanguageModel } from '../model/language-model.ts';
import { builtinTools } from '../../tools/index.ts';
import type { ToolErrorCode } from '../../tools/tool.ts';

/** Whether `tool` changes project files (write, edit, delete): its declared effect. The one place the eval decides it. */
export function isEditTool(tool: string): boolean {
  return builtinTools.find((t) => t.name === tool)?.effect === 'edit';
}

/**
 * Error codes that, on an edit tool, mean the change could not be applied to the file as the model
 * asked: the text to find is not there (`no_match`) or not unique (`ambiguous`), the file changed
 * since it was read (`stale`), or the file does not exist (`not_found`). A rejected or cancelled
 * edit, or bad arguments, are not misses.
 */
export const editMissCodes: ReadonlySet<ToolErrorCode> = new Set<ToolErrorCode>(['no_match', 'ambiguous', 'stale', 'not_found']);

/** The counts of one task, as stored in its result. */
export interface TallyCounts {
  /** Model steps that produced an action, and those that matched the action schema and were accepted. */
  actions: number;
  validActions: number;
  allValidActions: boolean;
  /** One line per step that was not a valid action. */
  invalidActions: string[];
  editActions: number;
  editMisses: number;
  /** One line per step cut off at model.maxTokens (including one that ended the turn). */
  cutOffSteps: string[];
  cutOffs: number;
}

/** Counts a task's events; feed it every AgentEvent, and the cut-offs through `reportingCutOffs`. */
export class TaskTally {
  private step = 0;
  private readonly schemaValid = new Map<number, boolean>();
  private readonly invalidSteps = new Set<number>();
  private readonly invalidMessages: string[] = [];
  private readonly cutOffMessages: string[] = [];
  private editActions = 0;
  private editMisses = 0;

  /** `validateAction` checks an action against the action schema, independently of the engine. */
  constructor(private readonly validateAction: (action: unknown) => boolean) {}

  onEvent(event: AgentEvent): void {
    switch (event.type) {
      case 'step':
        this.step = event.step;
        break;
      case 'action': {
        const ok = this.validateAction(event.action);
        this.schemaValid.set(event.step, ok);
        if (!ok) this.invalidMessages.push(`step ${event.step}: action does not match the action schema: ${JSON.stringify(event.action).slice(0, 200)}`);
        if (isEditTool(event.action.tool)) this.editActions++;
        break;
      }
      case 'invalid_action':
        // a cut-off is a bound, not a malformed action; `cutOff` has recorded it already
        if (event.cutOff) break;
        this.invalidSteps.add(event.step);
        this.invalidMessages.push(`step ${event.step}: ${event.message}`);
        break;
      case 'observation':
        if (isEditTool(event.tool) && event.result.error && editMissCodes.has(event.result.error.code)) this.editMisses++;
        break;
      default:
        break;
    }
  }

  /** A model step ran out of tokens before its action was complete. */
  cutOff(message: string): void {
    this.cutOffMessages.push(`step ${this.step}: ${message}`);
  }

  /**
   * A step's action is valid when it matched the action schema and the agent accepted it. A step
   * cut off at the token limit has no action: it counts as neither, and a malformed output that is
   * not an action (an invalid step without an action) makes the task not all-valid.
   */
  counts(): TallyCounts {
    const actions = this.schemaValid.size;
    const validActions = [...this.schemaValid].filter(([step, ok]) => ok && !this.invalidSteps.has(step)).length;
    const malformed = [...this.invalidSteps].some((step) => !this.schemaValid.has(step));
    return {
      actions,
      validActions,
      allValidActions: validActions === actions && !malformed,
      invalidActions: [...this.invalidMessages],
      editActions: this.editActions,
      editMisses: this.editMisses,
      cutOffSteps: [...this.cutOffMessages],
      cutOffs: this.cutOffMessages.length,
    };
  }

  /** Steps that produced an action so far. */
  get actionCount(): number {
    return this.schemaValid.size;
  }
}

/**
 * `model` as it is, except that every step cut off at the token limit is reported to `onCutOff`
 * before the error reaches the agent: also the cut-off that ends a turn (on the last step, or after
 * too many in a row), which the agent reports only as a model error.
 */
export function reportingCutOffs(model: LanguageModel, onCutOff: (message: string) => void): LanguageModel {
  return {
    get info() {
      return model.info;
    },
    countTokens: (text) => model.countTokens(text),
    async next(messages, actionSchema, options) {
      try {
        return await model.next(messages, actionSchema, options);
      } catch (error) {
        if (error instanceof ModelError && error.cutOff) onCutOff(error.message);
        throw error;
      }
    },
    ...(model.infill ? { infill: (request: InfillRequest) => model.infill!(request) } : {}),
    ...(model.doubts ? { doubts: (request: DoubtRequest) => model.doubts!(request) } : {}),
    dispose: () => model.dispose(),
  };
}
