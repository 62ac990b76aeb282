// B2, and issue 13 defect 5: where a container's secret values come from. The CLI sends the
// values of the secrets an app names with each deploy and rollover, over the owner-only socket;
// the daemon holds them in memory for the app's containers, never writes them, and hands a copy
// to its supervisor so a restarted daemon still has them. A name the CLI did not send falls back
// to the daemon's own environment (a systemd unit's EnvironmentFile, say).

/** Values by app name, then by secret name. */
export type HeldSecrets = Record<string, Record<string, string>>;

export class SecretVault {
  private readonly byApp = new Map<string, Map<string, string>>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    held: HeldSecrets = {},
    /** Told whenever an app's values change (the supervisor keeps a copy). */
    private readonly changed: (app: string, values: Record<string, string>) => void = () => undefined,
  ) {
    for (const [app, values] of Object.entries(held)) this.byApp.set(app, new Map(Object.entries(values)));
  }

  /** The values a command brought for an app; later ones replace earlier ones. */
  put(app: string, values: Record<string, string>): void {
    if (Object.keys(values).length === 0) return;
    const held = this.byApp.get(app) ?? new Map<string, string>();
    for (const [name, value] of Object.entries(values)) held.set(name, value);
    this.byApp.set(app, held);
    this.changed(app, Object.fromEntries(held));
  }

  value(app: string, name: string): string | undefined {
    return this.byApp.get(app)?.get(name) ?? this.env[name];
  }

  /** Every value it has for these names (the environment keys and values for containers and fingerprints). */
  values(app: string, names: string[]): Record<string, string> {
    const found: Record<string, string> = {};
    for (const name of names) {
      const value = this.value(app, name);
      if (value !== undefined) found[name] = value;
    }
    return found;
  }

  /** The names it has no value for. */
  missing(app: string, names: string[]): string[] {
    return names.filter((name) => this.value(app, name) === undefined);
  }
}
