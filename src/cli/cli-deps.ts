/**
 * What the command line may be given by whoever starts it instead of its own defaults: a program
 * embedding assist, or a test that drives the real CLI with a scripted model. Production runs
 * pass nothing.
 */
import type { Config } from '../config/schema.ts';
import type { LanguageModel } from '../model/language-model.ts';
import type { OpenModelOptions } from '../model/open-model.ts';

export interface CliDeps {
  /** Opens the model instead of `openModel` (the embedded engine or a server, from the settings). */
  openModel?: (config: Config, options: OpenModelOptions) => Promise<LanguageModel>;
}
