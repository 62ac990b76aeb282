// The cutover command line: parse a command, pick the provider, print or open the screen.
import { DaemonError } from '../local/daemon/protocol.ts';
import { apps, appsHelp } from './commands/apps.ts';
import { daemon, daemonHelp } from './commands/daemon.ts';
import { demo, demoHelp } from './commands/demo.ts';
import { deploy, deployHelp } from './commands/deploy.ts';
import { history, historyHelp } from './commands/history.ts';
import { logs, logsHelp } from './commands/logs.ts';
import { rollback, rollbackHelp } from './commands/rollback.ts';
import { rollover, rolloverHelp } from './commands/rollover.ts';
import { status, statusHelp } from './commands/status.ts';
import { stop, stopHelp } from './commands/stop.ts';
import { wait, waitHelp } from './commands/wait.ts';
import { watch, watchHelp } from './commands/watch.ts';
import type { CliContext } from './context.ts';
import { EXIT, OperationError, UsageError } from './usage-error.ts';

type Command = (ctx: CliContext, argv: string[]) => Promise<number>;

const commands: Record<string, { run: Command; help: string }> = {
  demo: { run: demo, help: demoHelp },
  watch: { run: watch, help: watchHelp },
  deploy: { run: deploy, help: deployHelp },
  rollback: { run: rollback, help: rollbackHelp },
  rollover: { run: rollover, help: rolloverHelp },
  stop: { run: stop, help: stopHelp },
  status: { run: status, help: statusHelp },
  history: { run: history, help: historyHelp },
  apps: { run: apps, help: appsHelp },
  wait: { run: wait, help: waitHelp },
  logs: { run: logs, help: logsHelp },
  daemon: { run: daemon, help: daemonHelp },
};

const usage = `cutover: a terminal console for deployments

Usage: cutover COMMAND [ARGS]

${Object.values(commands)
  .map((c) => `  ${c.help.split('\n')[0]}`)
  .join('\n')}

Exit codes: 0 done, 1 the operation failed, 2 bad input.
State: $CUTOVER_HOME (default: $XDG_STATE_HOME/cutover). Run 'cutover help COMMAND' for more.
`;

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : commands[topic];
    ctx.stdout.write(command ? `${command.help}\n` : usage);
    return topic !== undefined && !command ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    ctx.stdout.write('cutover 0.1.0\n');
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    ctx.stderr.write(`cutover: unknown command ${JSON.stringify(name)}; see cutover --help\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(ctx, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.stderr.write(`cutover ${error.message}\n  usage: ${command.help.split('\n')[0]}\n`);
      return EXIT.usage;
    }
    if (error instanceof DaemonError) {
      ctx.stderr.write(`cutover ${name}: ${error.message}\n`);
      return error.code === 'internal' ? EXIT.failed : EXIT.usage;
    }
    if (error instanceof OperationError) {
      ctx.stderr.write(`cutover ${name}: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

// Run as the program (bin/cutover.js imports the bundle of this file).
const ctx: CliContext = {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  entry: process.argv[1] ?? '',
};
main(process.argv.slice(2), ctx).then(
  (code) => {
    // The daemon process keeps running; everything else exits when its work is done.
    if (process.argv[2] !== 'daemon' || process.argv[3] !== 'run') process.exit(code);
  },
  (error: Error) => {
    process.stderr.write(`cutover: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
