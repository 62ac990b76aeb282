// Every command's help, apart from the commands themselves: `cutover --help` and usage errors
// print these without loading (parsing) any command's code.

export const help = {
  demo: `cutover demo [--plain]
  Deploys examples/shop, puts a steady load on it, rolls out a second version and opens the
  watch screen. Set CUTOVER_HOME to keep the app running after you quit.`,
  watch: `cutover watch APP [--plain] [--json]
  The live screen for APP: containers, inputs, a chart with version markers, the timeline.
  Keys: r rollback, o rollover, s stop (confirmed), d deploy again, h history, ? help, q quit.
  Quitting never changes the app.`,
  deploy: `cutover deploy [DIR] [--strategy rolling|recreate] [--detach] [--timeout 10m] [--json]
              [--allow-missing-secret NAME]...
  Builds DIR (default: the current directory) from its cutover.toml into an image, creates the
  next version and rolls it out, waiting until it is active. A deploy that changes nothing says so.
  The values of the secrets the manifest names are sent from this command's environment (or
  ~/.config/cutover/secrets.env); one with no value refuses the deploy unless allowed by name.`,
  rollback: `cutover rollback APP [VERSION] [--strategy rolling|recreate] [--detach] [--timeout 10m] [--json]
  Rolls APP back to VERSION (default: the previous version) as a new version of kind rollback.
  Containers already running the target's exact template are kept, so it takes effect at once.`,
  rollover: `cutover rollover APP [--strategy rolling|recreate] [--detach] [--timeout 10m] [--json]
               [--allow-missing-secret NAME]...
  Replaces every container of APP with a new one of the same spec (a new version of kind
  rollover), for what containers read at start, such as a rotated secret: its values are sent
  from this command's environment, as deploy sends them.`,
  stop: `cutover stop APP [--yes] [--json]
  Stops APP: its containers drain briefly, then terminate; queued inputs are answered with
  "app stopped". A stopped app is never started again; deploying the name creates a new app.
  Asks you to type the app's name on a terminal; needs --yes without one.`,
  status: `cutover status APP [--json]
  The app's version, rollout in progress, functions (with their proxy URLs), containers and inputs.`,
  history: `cutover history APP [--limit N] [--json]
  The app's versions, newest first (default limit 20). APP#N names an earlier app of that name.`,
  apps: `cutover apps [--json]
  Every app this platform knows, stopped ones included (an earlier app of a reused name is NAME#N).`,
  wait: `cutover wait APP [--timeout 60s]
  Waits for the app's rollout in progress to end: exit 0 when active, 1 when failed or timed out.`,
  logs: `cutover logs APP [--container ID] [-f]
  Prints the output of the app's running containers (or one, with --container); -f follows it.`,
  daemon: `cutover daemon start|stop [--apps]|status|install [--json]
  The local platform's daemon owns the containers, proxies and history. Any command starts it
  when it is not running; a supervisor restarts it if it dies, and the new one adopts the running
  containers (nothing restarts, no port moves). stop drains requests in flight and returns once it
  has exited; the apps keep running unless --apps. install writes a systemd user unit (launchd on
  macOS) so it starts at boot.`,
} as const;

export type CommandName = keyof typeof help;
