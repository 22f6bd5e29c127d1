/**
 * The settings documentation, derived from the declaration: one Markdown table row per key with
 * its allowed values, default, whether a project may set it, and what it does. `assist config
 * --doc` prints it; the README's "Configure" table is this text (a test keeps them equal).
 */
import { settings, topLevelSettings } from './schema.ts';
import type { ProjectRule, Setting } from './setting.ts';

/** Where the generated table starts and ends in README.md. */
export const docMarkers = { start: '<!-- config-table:start (generated: assist config --doc) -->', end: '<!-- config-table:end -->' } as const;

/** The Markdown table of every setting. */
export function renderConfigDoc(): string {
  const rows = ['| key | allowed | default | in a project file | what it does |', '|---|---|---|---|---|'];
  for (const [section, keys] of Object.entries(settings)) {
    for (const [key, setting] of Object.entries(keys as Record<string, Setting<unknown>>)) {
      rows.push(row(`${section}.${key}`, setting));
    }
  }
  for (const [name, setting] of Object.entries(topLevelSettings)) rows.push(row(name, setting));
  return `${rows.join('\n')}\n`;
}

function row(key: string, setting: Setting<unknown>): string {
  return `| \`${key}\` | ${cell(setting.allowed)} | \`${JSON.stringify(setting.default)}\` | ${projectCell(setting.project)} | ${cell(setting.doc)} |`;
}

function projectCell(rule: ProjectRule): string {
  switch (rule.kind) {
    case 'allowed':
      return 'yes';
    case 'user-only':
      return '**ignored** (yours only)';
    case 'tighten':
      return cell(rule.doc);
    default:
      return rule satisfies never;
  }
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
