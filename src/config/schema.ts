/**
 * The one strict schema for `assist` settings. Every key a user may write in `.assistrc.json`
 * or `~/.config/assist/config.json` is declared here; anything else is an error.
 */

export const approvalModes = ['suggest', 'auto-edit', 'full-auto'] as const;
export type ApprovalMode = (typeof approvalModes)[number];

export const modelBackends = ['embedded', 'openai'] as const;
export type ModelBackend = (typeof modelBackends)[number];

export const sandboxBackends = ['auto', 'docker', 'bwrap', 'none'] as const;

export const actionFormats = ['text', 'json'] as const;
export type ActionFormatSetting = (typeof actionFormats)[number];

export const autoTestModes = ['auto', 'on', 'off'] as const;
export type AutoTestMode = (typeof autoTestModes)[number];
export type SandboxBackend = (typeof sandboxBackends)[number];

/** The effective settings after merging defaults, user file, project file and flags. */
export interface Config {
  model: {
    /** `embedded` runs a GGUF in-process; `openai` talks to an OpenAI-compatible server. */
    backend: ModelBackend;
    /** Catalog name, file name in `modelsDir`, or a path to a GGUF. `null`: the one chosen by `assist models use`. */
    name: string | null;
    /** Where downloaded and imported models live. `null`: `~/.local/share/assist/models` (or `$ASSIST_MODELS_DIR`). */
    modelsDir: string | null;
    /** Context size in tokens; `0` means the model's own training context, capped to what memory allows. */
    contextSize: number;
    /** CPU threads; `0` means the real core count. */
    threads: number;
    /** `auto` uses a GPU where node-llama-cpp finds one; `false` forces CPU. */
    gpu: 'auto' | false;
    temperature: number;
    /** Upper bound of generated tokens for one action. */
    maxTokens: number;
    /** A single model step fails after this long. */
    timeoutMs: number;
  };
  openai: {
    baseUrl: string;
    model: string;
    /** Name of the environment variable that holds the API key (never the key itself). */
    apiKeyEnv: string;
    timeoutMs: number;
    retries: number;
  };
  agent: {
    approvalMode: ApprovalMode;
    /** Model steps allowed in one turn. */
    maxSteps: number;
    /** Failed runs (`run_tests` / `run_in_sandbox`) allowed in one turn before the agent stops. */
    maxAttempts: number;
    /**
     * How the model writes actions: `text` (a JSON line, then code as raw blocks, under a grammar
     * that knows the project's files and lines) or `json` (the whole action as JSON). A model that
     * cannot take a grammar uses `json`.
     */
    actionFormat: ActionFormatSetting;
    /**
     * Run the project's tests after every applied change and show the failures with the result:
     * `auto` when runs need no asking (auto-edit, full-auto, `assist run`), or always `on`, or `off`.
     */
    autoTest: AutoTestMode;
  };
  sandbox: {
    backend: SandboxBackend;
    image: string;
    timeoutMs: number;
    memoryMb: number;
    cpus: number;
    pids: number;
    /** Bytes of stdout and of stderr kept from a run; the rest is cut with a note. */
    outputLimitBytes: number;
  };
  index: {
    enabled: boolean;
    /** Files larger than this are listed without symbols. */
    maxFileBytes: number;
    /** Token budget of the repo map in the model's context; `0` sizes it to what is left. */
    mapTokens: number;
  };
  tests: {
    /** The project's test command; `null` detects it (package.json, pytest, go test, cargo test, ...). */
    command: string | null;
  };
}

export const defaults: Config = {
  model: {
    backend: 'embedded',
    name: null,
    modelsDir: null,
    contextSize: 0,
    threads: 0,
    gpu: 'auto',
    temperature: 0.2,
    // one whole source file of the usual size (~150 lines) fits in one action
    maxTokens: 2048,
    // a guard against a stuck engine, not a speed limit: a cold 32k-token prompt on two CPU cores takes minutes
    timeoutMs: 600_000,
  },
  openai: {
    baseUrl: 'http://127.0.0.1:8080/v1',
    model: 'default',
    apiKeyEnv: 'OPENAI_API_KEY',
    timeoutMs: 120_000,
    retries: 2,
  },
  agent: {
    approvalMode: 'suggest',
    maxSteps: 30,
    maxAttempts: 5,
    actionFormat: 'text',
    autoTest: 'auto',
  },
  sandbox: {
    backend: 'auto',
    image: 'assist-sandbox:latest',
    timeoutMs: 30_000,
    memoryMb: 512,
    cpus: 1,
    pids: 128,
    outputLimitBytes: 64 * 1024,
  },
  index: {
    enabled: true,
    maxFileBytes: 512 * 1024,
    mapTokens: 0,
  },
  tests: {
    command: null,
  },
};

const posInt = { type: 'integer', minimum: 1 } as const;
const nonNegInt = { type: 'integer', minimum: 0 } as const;

/** JSON schema (ajv) of a settings file: every section and key optional, nothing unknown allowed. */
export const configFileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    model: {
      type: 'object',
      additionalProperties: false,
      properties: {
        backend: { enum: [...modelBackends] },
        name: { type: ['string', 'null'], minLength: 1 },
        modelsDir: { type: ['string', 'null'], minLength: 1 },
        contextSize: nonNegInt,
        threads: nonNegInt,
        gpu: { enum: ['auto', false] },
        temperature: { type: 'number', minimum: 0, maximum: 2 },
        maxTokens: posInt,
        timeoutMs: posInt,
      },
    },
    openai: {
      type: 'object',
      additionalProperties: false,
      properties: {
        baseUrl: { type: 'string', pattern: '^https?://' },
        model: { type: 'string', minLength: 1 },
        apiKeyEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        timeoutMs: posInt,
        retries: nonNegInt,
      },
    },
    agent: {
      type: 'object',
      additionalProperties: false,
      properties: {
        approvalMode: { enum: [...approvalModes] },
        maxSteps: posInt,
        maxAttempts: posInt,
        actionFormat: { enum: [...actionFormats] },
        autoTest: { enum: [...autoTestModes] },
      },
    },
    sandbox: {
      type: 'object',
      additionalProperties: false,
      properties: {
        backend: { enum: [...sandboxBackends] },
        image: { type: 'string', minLength: 1 },
        timeoutMs: posInt,
        memoryMb: { type: 'integer', minimum: 16 },
        cpus: { type: 'number', exclusiveMinimum: 0 },
        pids: posInt,
        outputLimitBytes: posInt,
      },
    },
    index: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        maxFileBytes: posInt,
        mapTokens: nonNegInt,
      },
    },
    tests: {
      type: 'object',
      additionalProperties: false,
      properties: {
        command: { type: ['string', 'null'], minLength: 1 },
      },
    },
  },
} as const;
