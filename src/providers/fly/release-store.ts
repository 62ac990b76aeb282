// What cutover records of each Fly release, under its state directory, keyed by app and release:
// the fly.toml it deployed (the backup Fly's rollback thread asks operators to keep by hand), the
// machine config it first observed for releases made elsewhere, secret digests (never values),
// and its own labels (a rollback of v3, a rollover, by whom). One file per fact, so a watch and a
// command in two processes never overwrite each other's records.
import fs from 'node:fs';
import { join } from 'node:path';
import { ProviderError } from '../../engine/provider-error.ts';
import type { VersionKind } from '../../engine/types.ts';
import type { FlyGuest, FlyMount, FlyService, FlyServiceCheck } from './fly-types.ts';
import { createOwnerOnly, ownerOnlyDirectory, readOwnerOnly, writeOwnerOnly } from './owner-only-files.ts';

/** What cutover itself did to make a release. */
export interface ReleaseLabel {
  kind: VersionKind;
  rollbackOf: number | null;
  /** The operator who ran the command (the OS user or CUTOVER_USER). */
  user: string;
  strategy: string | null;
  at: number;
  /** `image and config of v3`, `image only: v3's config was never recorded`. */
  note: string | null;
}

/** The part of a machine's config a rollback can differ in (issue 9: services, env, checks, VM size, mounts). */
export interface ObservedConfig {
  env: Record<string, string>;
  services: FlyService[];
  checks: Record<string, FlyServiceCheck>;
  guest: FlyGuest | null;
  mounts: FlyMount[];
}

/** A release as cutover first saw it on the machines. */
export interface ObservedRelease {
  observedAt: number;
  image: string | null;
  /** By process group. */
  configs: Record<string, ObservedConfig>;
  /** Secret name → digest when first seen; null when they could not be read. */
  secrets: Record<string, string> | null;
}

/** Fly app names: lowercase letters, digits and dashes (flyctl's validation), so safe in a path. */
export function checkAppName(app: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(app)) {
    throw new ProviderError(
      'usage',
      `${JSON.stringify(app)} is not a Fly app name (lowercase letters, digits and dashes)`,
    );
  }
}

const runsKept = 20;

export class ReleaseStore {
  constructor(private readonly root: string) {}

  /** The app's directory, created 0700 on first use. */
  appDir(app: string): string {
    checkAppName(app);
    const dir = join(this.root, 'apps', app);
    ownerOnlyDirectory(this.root, dir);
    return dir;
  }

  private file(app: string, version: number, suffix: string): string {
    return join(this.appDir(app), `v${version}.${suffix}`);
  }

  private readJson<T>(file: string): T | null {
    const text = readOwnerOnly(file);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError('failed', `${file} is not valid JSON; move it away and try again`);
    }
  }

  label(app: string, version: number): ReleaseLabel | null {
    return this.readJson<ReleaseLabel>(this.file(app, version, 'label.json'));
  }

  setLabel(app: string, version: number, label: ReleaseLabel): void {
    writeOwnerOnly(this.file(app, version, 'label.json'), `${JSON.stringify(label, null, 2)}\n`);
  }

  /** Every label of the app, by release. */
  labels(app: string): Map<number, ReleaseLabel> {
    const found = new Map<number, ReleaseLabel>();
    for (const name of fs.readdirSync(this.appDir(app))) {
      const match = /^v(\d+)\.label\.json$/.exec(name);
      if (!match) continue;
      const label = this.label(app, Number(match[1]));
      if (label) found.set(Number(match[1]), label);
    }
    return found;
  }

  observed(app: string, version: number): ObservedRelease | null {
    return this.readJson<ObservedRelease>(this.file(app, version, 'observed.json'));
  }

  /** Records the first observation only; later ones change nothing. */
  recordObserved(app: string, version: number, observed: ObservedRelease): boolean {
    return createOwnerOnly(
      this.file(app, version, 'observed.json'),
      `${JSON.stringify(observed, null, 2)}\n`,
    );
  }

  hasObserved(app: string, version: number): boolean {
    return fs.existsSync(this.file(app, version, 'observed.json'));
  }

  /** The fly.toml cutover deployed as this release, or null. */
  flyToml(app: string, version: number): string | null {
    return readOwnerOnly(this.file(app, version, 'fly.toml'));
  }

  recordFlyToml(app: string, version: number, text: string): void {
    writeOwnerOnly(this.file(app, version, 'fly.toml'), text);
  }

  /** Secret digests as they were when cutover deployed this release, else when it first saw it. */
  secrets(app: string, version: number): Record<string, string> | null {
    return (
      this.readJson<Record<string, string>>(this.file(app, version, 'secrets.json')) ??
      this.observed(app, version)?.secrets ??
      null
    );
  }

  recordSecrets(app: string, version: number, digests: Record<string, string>): void {
    writeOwnerOnly(this.file(app, version, 'secrets.json'), `${JSON.stringify(digests, null, 2)}\n`);
  }

  /** When cutover stopped the app, and who; null once it is deployed again. */
  stopped(app: string): { at: number; user: string } | null {
    return this.readJson(join(this.appDir(app), 'stopped.json'));
  }

  setStopped(app: string, stopped: { at: number; user: string } | null): void {
    const file = join(this.appDir(app), 'stopped.json');
    if (stopped === null) fs.rmSync(file, { force: true });
    else writeOwnerOnly(file, `${JSON.stringify(stopped)}\n`);
  }

  /** A fresh directory for one `fly deploy` run (its cwd, its fly.toml copy, its output log). */
  runDir(app: string, what: string): string {
    const runs = join(this.appDir(app), 'runs');
    ownerOnlyDirectory(this.root, runs);
    const existing = fs.readdirSync(runs).sort();
    for (const old of existing.slice(0, Math.max(0, existing.length - runsKept + 1))) {
      fs.rmSync(join(runs, old), { recursive: true, force: true });
    }
    const dir = join(runs, `${new Date().toISOString().replace(/[:.]/g, '-')}-${what}-${process.pid}`);
    ownerOnlyDirectory(this.root, dir);
    return dir;
  }
}
