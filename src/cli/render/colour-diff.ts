import chalk from 'chalk';

/**
 * Colours a unified diff for the terminal: file headers bold, hunk headers cyan, additions green,
 * removals red, context unchanged. With `NO_COLOR` (chalk level 0) the text is returned as is.
 */
export function colourDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('Index: ') || line.startsWith('====')) return chalk.bold(line);
      if (line.startsWith('@@')) return chalk.cyan(line);
      if (line.startsWith('+')) return chalk.green(line);
      if (line.startsWith('-')) return chalk.red(line);
      if (line.startsWith('\\')) return chalk.dim(line);
      return line;
    })
    .join('\n');
}
