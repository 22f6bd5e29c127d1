/**
 * The one declaration of `assist` settings. Every key a user may write in `.assistrc.json` or
 * `~/.config/assist/config.json` is declared here once, with its type and range, default, one
 * line of documentation, and whether a project may set it. The `Config` type, `defaults`, the
 * validator (validate.ts) and the documentation (doc.ts: `assist config --doc`, the README table)
 * are derived from it; anything not declared is an error.
 */
import { mcpServers } from './mcp-servers.ts';
import { languageRow, languagesWith, type LanguageWith } from '../languages/languages.ts';
import {
  addOnly,
  boolean,
  choice,
  commandOrOff,
  integer,
  lowerOnly,
  number,
  stricterFirst,
  text,
  textList,
  textOrNull,
  userOnly,
  type Setting,
} from './setting.ts';

/** Strictest first. */
export const approvalModes = ['suggest', 'auto-edit', 'full-auto'] as const;
export type ApprovalMode = (typeof approvalModes)[number];

export const modelBackends = ['embedded', 'openai'] as const;
export type ModelBackend = (typeof modelBackends)[number];

export const sandboxBackends = ['auto', 'docker', 'bwrap', 'none'] as const;
export type SandboxBackend = (typeof sandboxBackends)[number];

/** How the model writes actions (see src/model/action-protocol.ts). */
export const actionFormats = ['text', 'json'] as const;
export type ActionFormatSetting = (typeof actionFormats)[number];

/** The constraint an `openai` server decodes each step under (see src/model/openai-server.ts). */
export const openaiConstraints = ['auto', 'grammar', 'json_schema', 'json_object'] as const;
export type OpenaiConstraintSetting = (typeof openaiConstraints)[number];

export const autoTestModes = ['auto', 'on', 'off'] as const;
export type AutoTestMode = (typeof autoTestModes)[number];

/**
 * `lint.<language>`: the check after an edit of that language's files, one setting per row of the
 * language table (src/languages/) that has a `lint` part; src/sandbox/lint-checks.ts runs them.
 */
function lintSettings(): Record<LanguageWith<'lint'>, Setting<string | null | false>> {
  const declared = languagesWith('lint').map((name) => {
    const row = languageRow(name);
    const setting = commandOrOff({
      default: null,
      doc:
        `The check after a ${row.label} file is changed: \`null\` runs ${row.lint!.summary}; \`false\` none; or a command, \`{files}\` standing ` +
        `for the changed files.`,
    });
    return [name, setting] as const;
  });
  return Object.fromEntries(declared) as Record<LanguageWith<'lint'>, Setting<string | null | false>>;
}

const day = 24 * 60 * 60 * 1000;
const mib = 1024 * 1024;

/** Every setting, by section. Order here is the order of `assist config` and the docs. */
export const settings = {
  model: {
    backend: choice(modelBackends, {
      default: 'embedded',
      doc: '`embedded` runs a GGUF in-process; `openai` talks to an OpenAI-compatible server.',
      project: stricterFirst(modelBackends),
    }),
    name: textOrNull({
      default: null,
      doc: 'Catalog name, file name in `modelsDir`, or a path to a GGUF; `null`: the one chosen by `assist models use`.',
      project: userOnly('a model file is parsed and run by the engine, so it must be one you chose'),
    }),
    modelsDir: textOrNull({
      default: null,
      doc: 'Where downloaded and imported models live; `null`: `~/.local/share/assist/models` (or `$ASSIST_MODELS_DIR`).',
      project: userOnly('it chooses which model files are loaded'),
    }),
    contextSize: integer({
      default: 0,
      min: 0,
      max: 1_048_576,
      doc:
        "Context size in tokens; `0`: the model's own, capped to what memory allows. With `openai`, `0` takes what the server reports (Ollama: the " +
        "model's, up to 32,768, sent as `num_ctx`), else assumes 4,096 and says so.",
    }),
    threads: integer({ default: 0, min: 0, max: 1024, doc: 'CPU threads; `0`: the real core count.' }),
    gpu: choice(['auto', false] as const, { default: 'auto', doc: '`auto` uses a GPU where node-llama-cpp finds one; `false` forces CPU.' }),
    temperature: number({ default: 0.2, min: 0, max: 2, doc: 'Sampling temperature.' }),
    maxTokens: integer({
      default: 2048,
      min: 1,
      max: 131_072,
      doc: 'Upper bound of generated tokens for one action (the default fits one usual source file).',
    }),
    timeoutMs: integer({
      default: 600_000,
      min: 1,
      max: day,
      doc:
        'An embedded model step fails after this long: a guard against a stuck engine, not a speed limit (a cold 32k-token prompt on two cores ' +
        'takes minutes).',
    }),
  },
  openai: {
    baseUrl: text({
      default: 'http://127.0.0.1:8080/v1',
      pattern: /^https?:\/\//,
      patternDoc: 'an http:// or https:// URL',
      doc: 'The OpenAI-compatible server (llama.cpp server, Ollama, vLLM, LM Studio).',
      project: userOnly('your code and prompts would be sent to a server the project chose'),
    }),
    model: text({ default: 'default', doc: 'The model name sent to the server.' }),
    apiKeyEnv: text({
      default: 'OPENAI_API_KEY',
      pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      patternDoc: 'an environment variable name',
      doc: 'Name of the environment variable that holds the API key (never the key itself).',
      project: userOnly('it chooses which of your environment variables is sent to the server'),
    }),
    constraint: choice(openaiConstraints, {
      default: 'auto',
      doc:
        '`auto` asks the server and uses the strongest it takes: a GBNF `grammar` (llama.cpp, llama-cpp-python), a JSON schema (`json_schema`: ' +
        'vLLM, Ollama, OpenAI), else `json_object` with every reply validated and retried once; or name one.',
    }),
    timeoutMs: integer({ default: 120_000, min: 1, max: day, doc: 'A server step fails after this long.' }),
    retries: integer({ default: 2, min: 0, max: 10, doc: 'Retries after connection errors, 5xx and 429.' }),
    maxResponseBytes: integer({
      default: 8 * mib,
      min: 1024,
      max: 1024 * mib,
      doc: 'A server answer larger than this fails the step (a runaway server cannot fill memory).',
      project: lowerOnly,
    }),
  },
  agent: {
    approvalMode: choice(approvalModes, {
      default: 'suggest',
      doc: '`suggest` asks for every edit and run; `auto-edit` asks only for runs on the host; `full-auto` asks for nothing (but secrets).',
      project: stricterFirst(approvalModes),
    }),
    maxSteps: integer({ default: 30, min: 1, max: 1000, doc: 'Model steps allowed in one turn.' }),
    maxAttempts: integer({ default: 5, min: 1, max: 100, doc: 'Failed runs (`run_tests` / `run_in_sandbox`) allowed in one turn before the agent stops.' }),
    actionFormat: choice(actionFormats, {
      default: 'text',
      doc:
        "`text`: a JSON line, then code as raw blocks, under a grammar that knows the project's files and lines; `json`: the whole action as JSON " +
        '(used anyway by a model that takes no grammar).',
    }),
    autoTest: choice(autoTestModes, {
      default: 'auto',
      doc:
        'Run the tests after every applied change and show their failures with it: `auto` when runs need no asking (auto-edit, full-auto, `assist ' +
        'run`), or `on`, or `off`.',
    }),
    infillRepair: boolean({
      default: true,
      doc:
        'When the tests (or the command a bug report names) fail before a fix, first change the lines of the functions the task, the failure ' +
        "or the failing tests name where the model doubts them, one at a time, then write their bodies afresh with the model's code completion " +
        '(fill-in-the-middle), greedy and then sampled, keeping a body only if the run passes with it (with several tests failing, one that leaves fewer failing is applied as a step and the repair goes on from it; stubs: each under the paragraphs of the request about it, kept when no more tests fail than with the stubs, then repaired as a fix). When a ' +
        "bug report's tests all pass, first write a test of its case beside the nearest test (staged, not kept) and judge by it too. And " +
        'rewrite the function an edit copied unchanged. Doc comments, a section of a Markdown document, a new test file, a new signature ' +
        'with its calls, and an extracted function, when asked for, are written this way before the first step (all but doc comments and ' +
        'sections kept only when the tests pass with them). Needs an embedded model ' +
        'with fill-in-the-middle tokens (Qwen2.5-Coder has them).',
    }),
    wholeFileLines: integer({
      default: 0,
      min: 0,
      max: 100_000,
      doc:
        "With the `text` action format, a file of at most this many lines is changed by writing it whole (`write_file`, as aider's whole-file " +
        'format does), not patched with search/replace blocks. `0` (the default): always patch; with Qwen2.5-Coder-1.5B, 80 made fixes worse ' +
        "(the model wrote short files back unchanged, or with read_file's line numbers).",
    }),
    lint: choice(autoTestModes, {
      default: 'auto',
      doc:
        'Check the changed files after every applied change (undefined names, type and compile errors; see `lint.*`) and show the first errors ' +
        'with it: `auto` when runs need no asking, or `on`, or `off`.',
    }),
  },
  sandbox: {
    backend: choice(sandboxBackends, {
      default: 'auto',
      doc: '`auto`: Docker, else bubblewrap; `none` runs on your machine (only from your own config).',
      project: stricterFirst(['docker', 'auto', 'bwrap', 'none']),
    }),
    image: text({ default: 'assist-sandbox:latest', doc: 'The Docker image runs use.', project: userOnly('it chooses what runs your code') }),
    timeoutMs: integer({ default: 30_000, min: 1, max: day, doc: 'A run is killed after this long.', project: lowerOnly }),
    memoryMb: integer({ default: 512, min: 16, max: 1_048_576, doc: 'Memory limit of a run, in MiB.', project: lowerOnly }),
    cpus: number({ default: 1, min: 0, max: 1024, exclusiveMin: true, doc: 'CPU limit of a run.', project: lowerOnly }),
    pids: integer({ default: 128, min: 1, max: 4_194_304, doc: 'Process limit of a run.', project: lowerOnly }),
    outputLimitBytes: integer({
      default: 64 * 1024,
      min: 1,
      max: 1024 * mib,
      doc: 'Bytes of stdout and of stderr kept from a run; the rest is cut with a note.',
      project: lowerOnly,
    }),
  },
  index: {
    enabled: boolean({ default: true, doc: 'Build the tree-sitter index (repo map, find_symbol, outline).' }),
    maxFileBytes: integer({ default: 512 * 1024, min: 1, max: 64 * mib, doc: 'Files larger than this are listed without symbols.' }),
    mapTokens: integer({ default: 0, min: 0, max: 131_072, doc: "Repo map tokens in the model's context; `0`: 1,024, less in a small context." }),
  },
  tests: {
    command: textOrNull({
      default: null,
      doc: "The project's test command (run in the sandbox); `null` detects it (npm test, pytest, go test, cargo test, ...).",
    }),
  },
  lint: lintSettings(),
  git: {
    autoCommit: boolean({
      default: false,
      doc:
        'In a git repository, commit every applied change set ("assist: <request>"), never including a file that holds your own uncommitted edits; ' +
        '`/commit` commits on request.',
      project: stricterFirst([false, true]),
    }),
  },
  secrets: {
    patterns: textList({
      default: [],
      maxItems: 200,
      itemDoc: 'globs like ".env*", "*.pem" or "config/credentials.yml"',
      item: (glob) => !/[\r\n]/.test(glob) && !glob.startsWith('!') && !glob.startsWith('#'),
      doc: 'More files that hold secrets, beyond the built-in ones (`.env*`, `*.pem`, `*.key`, `id_rsa`, ...): reading one always asks first.',
      project: addOnly,
    }),
  },
} as const satisfies Record<string, Record<string, Setting<unknown>>>;

/**
 * Settings that are a whole top-level key of the file rather than a section of keys, in the shape
 * other tools use so a block can be copied over as it is.
 */
export const topLevelSettings = {
  mcpServers: mcpServers({
    doc:
      "MCP servers (stdio) started with each session, as Claude Code and Cursor write them: their tools join the model's, and each call is " +
      'approved like a run on your machine (see "MCP servers").',
    project: userOnly('each server is a command that runs on your machine, outside the sandbox'),
  }),
} as const satisfies Record<string, Setting<unknown>>;

type Settings = typeof settings;
type TopLevelSettings = typeof topLevelSettings;
type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** The effective settings after merging defaults, user file, project file and flags (see `settings` and `topLevelSettings` for each key). */
export type Config = { -readonly [S in keyof Settings]: { -readonly [K in keyof Settings[S]]: ValueOf<Settings[S][K]> } } & {
  -readonly [K in keyof TopLevelSettings]: ValueOf<TopLevelSettings[K]>;
};

/** Every setting's default. */
export const defaults: Config = Object.fromEntries([
  ...Object.entries(settings).map(([section, keys]) => [
    section,
    Object.fromEntries(Object.entries(keys).map(([key, s]) => [key, structuredClone((s as Setting<unknown>).default)])),
  ]),
  ...Object.entries(topLevelSettings).map(([name, s]) => [name, structuredClone((s as Setting<unknown>).default)]),
]) as Config;

/** The declaration of `section.key`, or undefined when there is none. */
export function settingOf(section: string, key: string): Setting<unknown> | undefined {
  if (!Object.hasOwn(settings, section)) return undefined;
  const keys = settings[section as keyof Settings] as Record<string, Setting<unknown>>;
  return Object.hasOwn(keys, key) ? keys[key] : undefined;
}

/** The declaration of a top-level setting `name` (`mcpServers`), or undefined when there is none. */
export function topLevelSettingOf(name: string): Setting<unknown> | undefined {
  return Object.hasOwn(topLevelSettings, name) ? (topLevelSettings as Record<string, Setting<unknown>>)[name] : undefined;
}
