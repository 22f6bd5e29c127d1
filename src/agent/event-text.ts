/**
 * Plain-text lines for agent events: the readable execution log of `assist run` and the progress
 * lines of the one-shot commands. (The interactive session renders events itself, with colour.)
 */
import type { ApprovalRequest } from '../workspace/approval.ts';
import type { AgentEvent } from './events.ts';

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function indent(text: string, max = 4000): string {
  const body = text.length > max ? `${text.slice(0, max)}\n[... ${text.length - max} more characters in debug_history.json]` : text;
  return body
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function requestText(request: ApprovalRequest): string {
  switch (request.kind) {
    case 'edit':
      return `edit ${request.changes.map((c) => c.path).join(', ')}`;
    case 'exec':
      return `run \`${clip(request.command, 120)}\` (${request.sandbox})`;
    case 'read-secret':
      return `read ${request.path} (looks like a secret: ${request.reason})`;
    case 'mcp':
      return `call ${request.tool} of the MCP server ${request.server} ${clip(JSON.stringify(request.args), 120)}`;
    default:
      return request satisfies never;
  }
}

/**
 * One event as text; `undefined` for events not worth a line (tokens). `detail` adds the full
 * observation and run output (for the log file) instead of a one-line summary.
 */
export function describeEvent(event: AgentEvent, detail = false): string | undefined {
  switch (event.type) {
    case 'user':
      return `> ${detail ? event.text : clip(event.text, 200)}`;
    case 'step':
      return `-- step ${event.step}/${event.maxSteps}`;
    case 'token':
      return undefined;
    case 'action': {
      const json = JSON.stringify(event.action.args);
      const args = event.action.tool === 'answer' ? '' : ` ${detail ? (json.length > 4000 ? `${json.slice(0, 4000)}…` : json) : clip(json, 160)}`;
      const cost = `(${event.usage.promptTokens} prompt + ${event.usage.completionTokens} generated tokens, ${Math.round(event.timings.totalMs)} ms)`;
      return `${event.action.thought ? `thought: ${clip(event.action.thought, 300)}\n` : ''}action: ${event.action.tool}${args} ${cost}`;
    }
    case 'invalid_action':
      return `invalid action: ${event.message}`;
    case 'approval': {
      const what = requestText(event.request);
      const answer = event.answer.answer === 'no' ? `no: ${event.answer.reason}` : event.answer.answer;
      return `approval (${event.decision}): ${what} → ${answer}`;
    }
    case 'observation': {
      const status = event.result.error ? `error ${event.result.error.code}` : 'ok';
      const head = `observation from ${event.tool} (${status}, ${event.durationMs} ms)`;
      if (!detail) return `${head}: ${clip(event.result.forUser ?? event.result.forModel, 200)}`;
      return `${head}:\n${indent(event.result.forModel)}`;
    }
    case 'intake': {
      const status = event.result.error ? `error ${event.result.error.code}` : 'ok';
      const head = `intake: ${event.action.tool} ${clip(JSON.stringify(event.action.args), 160)} (${status}, ${event.durationMs} ms)`;
      return detail ? `${head}:\n${indent(event.result.forModel)}` : head;
    }
    case 'attempt': {
      const run = event.run;
      const outcome = event.passed ? 'passed' : run.timedOut ? 'timed out' : `failed (exit ${run.exitCode ?? '?'})`;
      const head = `attempt ${event.attempt} ${outcome}: ${clip(run.command, 160)} [${run.durationMs} ms]`;
      if (!detail) return head;
      const parts = [head];
      if (run.code !== undefined) parts.push(`  code (${run.language ?? 'unknown language'}):\n${indent(run.code)}`);
      if (run.stdout) parts.push(`  stdout:\n${indent(run.stdout)}`);
      if (run.stderr) parts.push(`  stderr:\n${indent(run.stderr)}`);
      return parts.join('\n');
    }
    case 'result':
      return `result: ${event.status} after ${event.steps} steps and ${event.attempts} runs\n${detail ? event.text : clip(event.text, 2000)}`;
    case 'notice':
      return `${event.level === 'warn' ? 'warning' : 'note'}: ${event.message}`;
    case 'index':
      if (event.status === 'progress') return undefined;
      return `index ${event.status}${event.status === 'ready' ? ` (${event.total} files)` : event.message ? `: ${event.message}` : ''}`;
    case 'context':
      return detail
        ? `context: ${event.promptTokens}/${event.budget} tokens (context ` +
            `${event.contextSize})${event.compacted ? `, ${event.compacted} entries compacted` : ''}`
        : undefined;
    default:
      return event satisfies never;
  }
}
