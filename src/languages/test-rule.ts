/**
 * How a project's test command is recognised from its files. Each language row contributes the
 * rules of its build tools (Cargo.toml, go.mod, pom.xml ...), src/sandbox/test-command.ts adds the
 * generic ones (a Makefile's `test` target) and tries them all by `order`, lowest first: the first
 * rule that answers wins.
 */

/** The project as the sandbox will see it (disk plus pending changes); given by test-command.ts. */
export interface TestProject {
  /** The text of a project-relative file, or undefined when there is none. */
  read(file: string): Promise<string | undefined>;
  /** Whether a project-relative file exists. */
  exists(file: string): Promise<boolean>;
  /** Whether the project root, tests/ or test/ holds a file whose base name `isTestName` accepts. */
  hasTestFiles(isTestName: (name: string) => boolean): Promise<boolean>;
}

/** A recognised test command and why it was chosen (shown to the model and the person). */
export interface TestDetection {
  command: string;
  reason: string;
}

export interface TestRule {
  /** Where this rule is tried among every rule of every row and test-command.ts (unique; lower first). */
  order: number;
  /** The command when the project matches this rule, else undefined (the next rule is tried). */
  detect(project: TestProject): Promise<TestDetection | undefined>;
}

/**
 * A rule that answers `command` when one of `files` exists (tried in their order); the reason is
 * the file found, or `reason` when given.
 */
export function whenFile(order: number, files: readonly string[], command: string, reason?: string): TestRule {
  return {
    order,
    async detect(project) {
      for (const file of files) if (await project.exists(file)) return { command, reason: reason ?? file };
      return undefined;
    },
  };
}
