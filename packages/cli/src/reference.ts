import type { Command } from 'commander';
import { buildProgram } from './program.js';

const WIDTH = 100;

/** Every command's help text, the program's first: what docs/cli.md holds, so it cannot drift from the CLI. */
export function cliReference(): string {
  const ignore = () => undefined;
  const program = buildProgram(
    { stdout: ignore, stderr: ignore, env: {}, stdoutIsTty: false, stdinIsTty: false, readStdin: async () => '', promptSecret: async () => '' },
    async () => undefined,
  );
  const help = (command: Command) => {
    command.configureHelp({ helpWidth: WIDTH });
    return command.helpInformation().trimEnd();
  };
  const walk = (command: Command, path: string): string[] => [
    `## ${path}\n\n\`\`\`\n${help(command)}\n\`\`\``,
    ...command.commands.flatMap((sub) => walk(sub, `${path} ${sub.name()}`)),
  ];
  const sections = program.commands.flatMap((command) => walk(command, `passman ${command.name()}`));
  return [
    '# The passman command line',
    '',
    'Generated from the CLI’s own help by `npm run docs:cli`; a test fails when this page and the help differ.',
    'Exit codes: 0 done (InSync), 1 NotInSync or the job failed, 2 usage error or nothing of that name,',
    '3 authentication or permission error, 4 PassMan unreachable or its certificate refused, 5 anything else.',
    '',
    '```',
    help(program),
    '```',
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}
