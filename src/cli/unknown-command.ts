/**
 * `assist foo`: commander would call `foo` an excess argument of the default action (the
 * session), or of a default subcommand (`models` → `list`). These hooks name it an unknown
 * command instead, suggest the closest one and list the commands.
 */
import type { Command } from 'commander';
import { editDistance } from '../text/edit-distance.ts';
import { UserError } from './user-error.ts';

/** The candidate `typed` most likely meant, or undefined when none is close. */
export function closestName(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, name, { transpositions: true });
    if (!best || distance < best.distance) best = { name, distance };
  }
  // Close enough: at most a third of the name wrong (so "foo" suggests nothing).
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The message for `typed` under `parent`: what was wrong, the closest command, and the list. */
export function unknownCommandMessage(parent: Command, typed: string): string {
  const names = parent.commands.filter((c) => c.name() !== 'help').map((c) => c.name());
  const where = commandPath(parent);
  const closest = closestName(typed, names);
  const prefix = parent.parent ? `${parent.name()} ` : '';
  const lines = [
    `unknown command '${prefix}${typed}'.${closest ? ` Did you mean '${prefix}${closest}'?` : ''}`,
    `Commands${parent.parent ? ` of '${where}'` : ''}: ${names.join(', ')}. \`${commandPath(parent.parent ?? parent)} help ` +
      `${parent.parent ? parent.name() : 'COMMAND'}\` tells more.`,
  ];
  if (!parent.parent) lines.push(`\`${where}\` alone starts a session; \`${where} run "task"\` does one task and exits.`);
  return lines.join('\n');
}

/**
 * Makes a word in a command's place that names no command an error listing the commands, on the
 * program and on every command with subcommands. Call it after every command is registered.
 */
export function rejectUnknownCommands(program: Command): void {
  // The session is the program's own action: operands reach it only when they named no command.
  program.allowExcessArguments();
  program.hook('preAction', (_, action) => {
    if (action === program && program.args.length > 0) throw new UserError(unknownCommandMessage(program, program.args[0]));
  });
  for (const command of program.commands) {
    if (command.commands.length === 0) continue;
    // A default subcommand (`models` → `list`) is dispatched with the unknown word as its operand.
    command.hook('preSubcommand', (parent, sub) => {
      const typed = parent.args[0];
      if (typed !== undefined && !typed.startsWith('-') && typed !== sub.name() && !sub.aliases().includes(typed)) {
        throw new UserError(unknownCommandMessage(parent, typed));
      }
    });
    // Without a default, commander's own message would come with the whole help text.
    command.on('command:*', (operands: string[]) => {
      throw new UserError(unknownCommandMessage(command, operands[0]));
    });
  }
}
