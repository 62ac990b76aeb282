// Every command's help, apart from the commands themselves: `cutover --help` and usage errors
// print these without loading (parsing) any command's code.

export const help = {
  demo: `cutover demo [--plain]
  Deploys examples/shop, puts a steady load on it, rolls out a second version and opens the
  watch screen. Set CUTOVER_HOME to keep the app running after you quit.`,
  watch: `cutover watch [APP] [--plain] [--json] [--readonly] [--auto-rollback] [target flags]
  The live screen for APP: containers, inputs, a chart with version markers, the timeline;
  without APP, the overview of every app on every configured target.
  Quitting never changes the app. --auto-rollback rolls back a new version that fails (H1), once,
  on platforms that do not do it themselves (Kubernetes).`,
  deploy: `cutover deploy [DIR] [--strategy S] [--detach] [--timeout 10m] [--json] [target flags]
               [--allow-missing-secret NAME]...
  Builds DIR (default: the current directory) from its cutover.toml into an image, creates the
  next version and rolls it out, waiting until it is active. A deploy that changes nothing says so.
  The values of the secrets the manifest names are sent from this command's environment (or
  ~/.config/cutover/secrets.env); one with no value refuses the deploy unless allowed by name.
  Kubernetes: cutover deploy DEPLOYMENT --image IMAGE [--container NAME] patches the image.
  Fly: DIR holds fly.toml (fly deploy runs there). Modal: a Python FILE, --tag T.`,
  rollback: `cutover rollback APP [VERSION] [--strategy S] [--detach] [--timeout 10m] [--json] [target flags]
  Rolls APP back to VERSION (default: the previous version) as a new version of kind rollback.
  Containers already running the target's exact template are kept, so it takes effect at once.`,
  rollover: `cutover rollover APP [--strategy S] [--detach] [--timeout 10m] [--json] [target flags]
               [--allow-missing-secret NAME]...
  Replaces every container of APP with a new one of the same spec (a new version of kind
  rollover), for what containers read at start, such as a rotated secret: on the local platform
  its values are sent from this command's environment, as deploy sends them.`,
  stop: `cutover stop APP [--yes] [--json] [target flags]
  Stops APP: its containers drain briefly, then terminate; queued inputs are answered with
  "app stopped". A stopped app is never started again; deploying the name creates a new app.
  Asks you to type the app's name on a terminal; needs --yes without one.`,
  status: `cutover status APP [--json] [target flags]
  The app's version, rollout in progress, functions (with their proxy URLs), containers and inputs.`,
  history: `cutover history APP [--limit N] [--json] [target flags]
  The app's versions, newest first (default limit 20). APP#N names an earlier app of that name.`,
  apps: `cutover apps [--json] [target flags]
  Every app this platform knows, stopped ones included (an earlier app of a reused name is NAME#N).`,
  wait: `cutover wait APP [--timeout 60s] [--auto-rollback] [--json] [target flags]
  Waits for the app's rollout in progress to end: exit 0 when active, 1 when failed or timed out.
  Like kubectl rollout status. --auto-rollback rolls a failed rollout back (H1) and says so.`,
  logs: `cutover logs APP [--container ID] [-f] [--tail N] [--json] [target flags]
  Prints the output of the app's containers (or one, with --container, crashed ones too);
  -f follows it, --tail N starts from each container's last N lines, --json prints NDJSON.`,
  pause: `cutover pause APP [--json] [target flags]
  P1: the rollout in progress starts and drains nothing more; traffic keeps flowing.
  Resume continues it; a rollback or deploy meanwhile supersedes it. Kubernetes: spec.paused.`,
  resume: `cutover resume APP [--json] [target flags]
  Continues a paused rollout where it stopped.`,
  targets: `cutover targets [--json]
  The named targets of $XDG_CONFIG_HOME/cutover/config.toml ([targets.NAME] with platform =
  "kubernetes" and context, namespace, kubeconfig; "fly" and org; "modal" and environment;
  readonly = true). --target NAME or $CUTOVER_TARGET picks one; the default is local.`,
  daemon: `cutover daemon start|stop [--apps]|status|install [--json]
  The local platform's daemon owns the containers, proxies and history. Any command starts it
  when it is not running; a supervisor restarts it if it dies, and the new one adopts the running
  containers (nothing restarts, no port moves). stop drains requests in flight and returns once it
  has exited; the apps keep running unless --apps. install writes a systemd user unit (launchd on
  macOS) so it starts at boot.`,
} as const;

export type CommandName = keyof typeof help;
