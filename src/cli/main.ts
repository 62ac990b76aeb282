// The cutover command line: parse a command, pick the provider, print or open the screen.
import { ProviderError } from '../engine/provider-error.ts';
import type { CliContext } from './context.ts';
import { didYouMean } from './did-you-mean.ts';
import { exitCodeFor } from './exit-codes.ts';
import { type CommandName, help } from './help.ts';
import { EXIT, OperationError, UsageError } from './usage-error.ts';

type Command = (ctx: CliContext, argv: string[]) => Promise<number>;

// Each command's code loads only when it runs (the bundle splits it out), so `cutover watch`
// never parses the daemon's, the store's or the build's code: its first frame comes sooner.
const commands: Record<CommandName, () => Promise<Command>> = {
  demo: async () => (await import('./commands/demo.ts')).demo,
  watch: async () => (await import('./commands/watch.ts')).watch,
  deploy: async () => (await import('./commands/deploy.ts')).deploy,
  rollback: async () => (await import('./commands/rollback.ts')).rollback,
  rollover: async () => (await import('./commands/rollover.ts')).rollover,
  stop: async () => (await import('./commands/stop.ts')).stop,
  status: async () => (await import('./commands/status.ts')).status,
  history: async () => (await import('./commands/history.ts')).history,
  apps: async () => (await import('./commands/apps.ts')).apps,
  wait: async () => (await import('./commands/wait.ts')).wait,
  logs: async () => (await import('./commands/logs.ts')).logs,
  pause: async () => (await import('./commands/pause.ts')).pause,
  resume: async () => (await import('./commands/pause.ts')).resume,
  targets: async () => (await import('./commands/targets.ts')).targets,
  daemon: async () => (await import('./commands/daemon.ts')).daemon,
};

const isCommand = (name: string): name is CommandName => Object.hasOwn(help, name);

const usage = `cutover: a terminal console for deployments

Usage: cutover COMMAND [ARGS]

${Object.values(help)
  .map((h) => `  ${h.split('\n')[0]}`)
  .join('\n')}

Target flags (every app command): --platform local|kubernetes|fly|modal, --target NAME (or
$CUTOVER_TARGET), --context CTX, -n NAMESPACE, --kubeconfig FILE (Kubernetes), --org ORG (Fly),
-e ENV (Modal), --readonly. Without them: the local platform. APP may also be given as -a APP,
as flyctl takes it (every command whose first argument is APP).

Exit codes: 0 done, 1 the operation failed, 2 bad input.
State: $CUTOVER_HOME (default: $XDG_STATE_HOME/cutover). Run 'cutover help COMMAND' for more.
`;

/** A command's help; the watch screen's keys come from its keymap (loaded only for them). */
async function helpOf(name: CommandName): Promise<string> {
  if (name !== 'watch') return `${help[name]}\n`;
  const { watchKeysText } = await import('../ui/watch-help.ts');
  return `${help.watch}\n\n${watchKeysText()}\n`;
}

/** `unknown command "rollbak"; did you mean "rollback"? See cutover --help` */
function unknown(name: string): string {
  const close = didYouMean(name, Object.keys(help));
  return close === null
    ? `unknown command ${JSON.stringify(name)}; see cutover --help`
    : `unknown command ${JSON.stringify(name)}; did you mean ${JSON.stringify(close)}? See cutover --help`;
}

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  // On a terminal, `cutover` alone is the overview of every app; elsewhere it prints the usage.
  if (name === undefined && ctx.stdout.isTTY && ctx.stdin.isTTY) return main(['watch'], ctx);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) {
      ctx.stderr.write(`cutover help: ${unknown(topic)}\n`);
      return EXIT.usage;
    }
    ctx.stdout.write(topic !== undefined ? await helpOf(topic) : usage);
    return EXIT.ok;
  }
  if (name === '--version') {
    ctx.stdout.write('cutover 0.1.0\n');
    return EXIT.ok;
  }
  if (!isCommand(name)) {
    ctx.stderr.write(`cutover: ${unknown(name)}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(await helpOf(name));
    return EXIT.ok;
  }
  // With --json, a script gets the error as JSON on stdout too (the message stays on stderr).
  const fail = (code: number, kind: string, message: string, hint = ''): number => {
    if (rest.includes('--json')) ctx.stdout.write(`${JSON.stringify({ error: { code: kind, message } })}\n`);
    ctx.stderr.write(`cutover ${name}: ${message}\n${hint}`);
    return code;
  };
  try {
    return await (await commands[name]())(ctx, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      const message = error.message.replace(new RegExp(`^${name}: `), '');
      return fail(EXIT.usage, 'usage', message, `  usage: ${help[name].split('\n')[0]}\n`);
    }
    if (error instanceof ProviderError) {
      const detail = error.options.detail ? `${error.options.detail.trimEnd()}\n` : '';
      return fail(exitCodeFor(error.code), error.reason, error.message, detail);
    }
    if (error instanceof OperationError) return fail(EXIT.failed, 'failed', error.message);
    throw error;
  }
}

// Run as the program (bin/cutover.js imports the bundle of this file).
// A reader that went away (`cutover watch shop --json | head -1`) ends us quietly, as it ends
// any Unix tool, rather than with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
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
