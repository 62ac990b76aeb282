// `fly deploy` in the fake: the flow of flyctl's internal/command/deploy (create the release, set
// it running, lease the machines, update them in the strategy's order (strategies.mjs), wait for
// them to start and pass their checks, set the release complete or failed, print the release
// line), through the HTTP fake's Machines and releases endpoints only.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { api, FlyError, fake, machines } from './api.mjs';
import { fromFlyToml } from './fly-toml.mjs';
import {
  bluegreen,
  canaries,
  configFor,
  groupOf,
  isAppMachine,
  rolling,
  waitHealthy,
  waitStarted,
} from './strategies.mjs';

const say = (line = '') => process.stdout.write(`${line}\n`);
const waitTimeoutMs = () => Number(process.env.FAKE_FLY_WAIT_TIMEOUT_MS ?? 15000);

/** The files of the build context, hashed: the image a "build" of this directory makes. */
function buildImage(app, dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const file = join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else hash.update(name).update(readFileSync(file));
    }
  };
  walk(dir);
  return `registry.fly.io/${app}:deployment-${hash.digest('hex').slice(0, 26).toUpperCase()}`;
}

/** What the image does once running, from the Dockerfile's LABELs (fake.checks, fake.check_output). */
function labelsOf(dir) {
  const dockerfile = join(dir, 'Dockerfile');
  if (!existsSync(dockerfile)) {
    throw new FlyError(
      'failed to fetch an image or build from source: app does not have a Dockerfile or buildpacks configured',
    );
  }
  const labels = {};
  for (const m of readFileSync(dockerfile, 'utf8').matchAll(/^LABEL\s+([\w.]+)="([^"]*)"/gm))
    labels[m[1]] = m[2];
  return {
    checks: labels['fake.checks'] === 'critical' ? 'critical' : 'passing',
    output: labels['fake.check_output'],
  };
}

/** The config Fly has now: the newest release's machines (flyctl reads it from the app, FromRemoteApp). */
function remoteConfig(list) {
  const groups = {};
  const newest = Math.max(0, ...list.map((m) => Number(m.config?.metadata?.fly_release_version ?? 0)));
  for (const m of list) {
    if (Number(m.config?.metadata?.fly_release_version ?? 0) !== newest || groups[groupOf(m)]) continue;
    const { image, metadata, ...rest } = m.config;
    groups[groupOf(m)] = rest;
  }
  return { groups, strategy: undefined };
}

export async function deploy(flags) {
  const cwd = process.cwd();
  const configFile = flags.config
    ? resolve(flags.config)
    : existsSync(join(cwd, 'fly.toml'))
      ? join(cwd, 'fly.toml')
      : null;
  say('==> Verifying app config');
  const parsed = configFile ? fromFlyToml(readFileSync(configFile, 'utf8')) : null;
  const app = flags.app ?? parsed?.app;
  if (!app)
    throw new FlyError(
      'the config for your app is missing an app name, add an app field to the fly.toml file or specify with the -a flag',
    );
  await machines('GET', `/apps/${app}`);
  if (configFile) say(`Validating ${configFile}\n✓ Configuration is valid`);
  say('--> Verified app config');
  let image = flags.image;
  if (!image) {
    say('==> Building image');
    const behaviour = labelsOf(cwd);
    image = buildImage(app, cwd);
    await fake('POST', '/registry', { image, behaviour });
    say('--> Building image done');
  }
  say(`image: ${image}`);
  say('image size: 48 MB\n');
  const list = (await machines('GET', `/apps/${app}/machines`)).filter(isAppMachine);
  const base = parsed ? parsed : remoteConfig(list);
  const strategy = (flags.strategy ?? base.strategy ?? 'rolling').toLowerCase();
  const release = (
    await api('POST', '/api/v1/releases', {
      app_name: app,
      build_id: 0,
      definition: base.groups,
      image,
      strategy: strategy.toUpperCase(),
    })
  ).release;
  say(`Watch your deployment at https://fly.io/apps/${app}/monitoring\n`);
  await api('PATCH', `/api/v1/releases/${release.id}`, { status: 'running', metadata: null });
  const nonces = new Map();
  const options = {
    nonces,
    maxUnavailable: Number(flags['max-unavailable'] ?? 0.33),
    waitTimeoutMs: flags['wait-timeout'] ? Number.parseFloat(flags['wait-timeout']) * 1000 : waitTimeoutMs(),
    immediate: strategy === 'immediate',
    skipChecks: strategy === 'immediate',
  };
  let failure = null;
  try {
    if (list.length === 0) {
      for (const group of Object.keys(base.groups)) {
        say(`No machines in group ${group}, launching a new machine`);
        for (let i = 0; i < Number(process.env.FAKE_FLY_FIRST_MACHINES ?? 2); i++) {
          const m = await machines('POST', `/apps/${app}/machines`, {
            config: configFor(base.groups, null, release, image, { fly_process_group: group }),
            region: parsed?.region ?? 'ord',
          });
          await waitStarted(app, m);
          await waitHealthy(app, m.id, options.waitTimeoutMs);
          say(`Created machine ${m.id}`);
        }
      }
    } else {
      for (const m of list)
        nonces.set(
          m.id,
          (
            await machines('POST', `/apps/${app}/machines/${m.id}/lease?ttl=60`, {
              description: 'flyctl deploy',
            })
          ).data.nonce,
        );
      say(`Updating existing machines in '${app}' with ${strategy} strategy\n`);
      if (strategy === 'bluegreen') await bluegreen(app, list, base.groups, release, image, options);
      else {
        if (strategy === 'canary') await canaries(app, list, base.groups, release, image);
        await rolling(app, list, base.groups, release, image, options);
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    for (const [id, nonce] of nonces)
      await machines('DELETE', `/apps/${app}/machines/${id}/lease`, undefined, {
        'fly-machine-lease-nonce': nonce,
      }).catch(() => undefined);
  }
  await api('PATCH', `/api/v1/releases/${release.id}`, {
    status: failure ? 'failed' : 'complete',
    metadata: {
      post_deployment_info: { flyctl_version: '0.0.0-fake', error: failure ? failure.message : '' },
    },
  });
  if (failure) throw failure;
  say(`Checking DNS configuration for ${app}.fly.dev\n`);
  say(`Visit your newly deployed app at https://${app}.fly.dev/`);
  if (process.env.FLY_EMIT_RELEASE_JSON)
    say(JSON.stringify({ id: release.id, version: release.version, image_ref: image }));
}
