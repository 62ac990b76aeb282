// Every way the process can be told to go (or fall over) while the watch screen runs.

/** Exit codes by signal: 128 + the signal's number, as shells report them. */
const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Calls `onExit` with an exit code on SIGINT, SIGTERM, SIGHUP (a dropped SSH session) or an
 * uncaught error; returns a function that removes every listener.
 */
export function onExitSignals(onExit: (code: number, error?: unknown) => void): () => void {
  const handlers = Object.entries(signals).map(([signal, code]) => {
    const handler = () => onExit(code);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  const onError = (error: unknown) => onExit(1, error);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    for (const off of handlers) off();
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}
