// `fly deploy` in the fake: the flow of flyctl's internal/command/deploy (create the release, set
// it running, lease the machines, update them in the strategy's order, wait for them to start
// and pass their checks, set the release complete or failed, print the release line), through
// the HTTP fake's Machines and releases endpoints only.
// - rolling (machines_deploymachinesapp.go updateUsingRollingStrategy): machines sorted by ID,
//   by process group; stopped ones all at once, started ones one spearhead first, then the rest
//   in pools of ceil(n × max-unavailable 0.33); the first failure cancels the rest.
// - canary: a temporary canary machine per group (metadata fly_canary=true, DNS skipped) is
//   started and destroyed first, then rolling.
// - immediate: every machine updated at once, nothing waited for.
// - bluegreen (strategy_bluegreen.go): green machines created cordoned beside blue, started,
//   healthy, uncordoned; blue tagged, cordoned, stopped and destroyed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { api, FlyError, fake, machines } from './api.mjs';
import { fromFlyToml } from './fly-toml.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line = '') => process.stdout.write(`${line}\n`);
const waitTimeoutMs = () => Number(process.env.FAKE_FLY_WAIT_TIMEOUT_MS ?? 15000);
const bluegreenWaitMs = () => Number(process.env.FAKE_FLY_BLUEGREEN_WAIT_MS ?? 800);

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

const groupOf = (m) => m.config?.metadata?.fly_process_group ?? 'app';
const isAppMachine = (m) =>
  m.state !== 'destroyed' && !groupOf(m).startsWith('fly_app_') && m.config?.metadata?.fly_canary !== 'true';
const short = (id) => id;

function checksConfigured(config) {
  return (
    Object.keys(config.checks ?? {}).length +
    (config.services ?? []).reduce((n, s) => n + (s.checks?.length ?? 0), 0)
  );
}

async function waitStarted(app, m) {
  await machines(
    'GET',
    `/apps/${app}/machines/${m.id}/wait?instance_id=${m.instance_id}&state=started&timeout=60`,
  );
}

/** flyctl's WaitForHealthchecksToPass: at least one result, all passing, else the timeout. */
async function waitHealthy(app, id, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await machines('GET', `/apps/${app}/machines/${id}`);
    if (checksConfigured(m.config) === 0) return;
    const checks = m.checks ?? [];
    if (checks.length > 0 && checks.every((c) => c.status === 'passing')) return;
    if (Date.now() > deadline) {
      const failing = checks.find((c) => c.status !== 'passing');
      throw new FlyError(
        `timeout reached waiting for health checks to pass for machine ${id}: ${failing ? `${failing.name}: ${failing.output}` : 'no check results'}`,
      );
    }
    await sleep(150);
  }
}

function configFor(base, machine, release, image, extra = {}) {
  const group = machine ? groupOf(machine) : 'app';
  return {
    ...(base[group] ?? base.app ?? Object.values(base)[0]),
    image,
    metadata: {
      fly_flyctl_version: '0.0.0-fake',
      fly_platform_version: 'v2',
      fly_process_group: group,
      fly_release_id: release.id,
      fly_release_version: String(release.version),
      ...extra,
    },
  };
}

async function rolling(app, list, base, release, image, options) {
  const groups = new Map();
  for (const m of [...list].sort((a, b) => a.id.localeCompare(b.id)))
    groups.set(groupOf(m), [...(groups.get(groupOf(m)) ?? []), m]);
  let index = 0;
  const total = list.length;
  let cancelled = false;
  const updateOne = async (m, warm) => {
    const n = ++index;
    if (cancelled) {
      say(`  [${n}/${total}] Machine ${short(m.id)} [${groupOf(m)}] update canceled`);
      return;
    }
    say(`  [${n}/${total}] Updating ${short(m.id)} [${groupOf(m)}]`);
    const updated = await machines(
      'POST',
      `/apps/${app}/machines/${m.id}`,
      { config: configFor(base, m, release, image), region: m.region, skip_launch: !warm },
      { 'fly-machine-lease-nonce': options.nonces.get(m.id) },
    );
    if (warm && !options.skipChecks) {
      await waitStarted(app, updated);
      try {
        await waitHealthy(app, m.id, options.waitTimeoutMs);
      } catch (error) {
        cancelled = true;
        say(`  [${n}/${total}] Machine ${short(m.id)} [${groupOf(m)}] update failed: ${error.message}`);
        throw error;
      }
    }
    say(`  ✔ [${n}/${total}] Machine ${short(m.id)} [${groupOf(m)}] update succeeded`);
  };
  await Promise.all(
    [...groups.values()].map(async (entries) => {
      const warm = entries.filter((m) => m.state === 'started');
      const cold = entries.filter((m) => m.state !== 'started');
      const runCold = Promise.all(cold.map((m) => updateOne(m, false)));
      const runWarm = (async () => {
        if (warm.length === 0) return;
        if (options.immediate) return void (await Promise.all(warm.map((m) => updateOne(m, true))));
        const pool = Math.max(1, Math.ceil(warm.length * options.maxUnavailable));
        await updateOne(warm[0], true); // the spearhead
        const rest = warm.slice(1);
        for (let i = 0; i < rest.length; i += pool)
          await Promise.all(rest.slice(i, i + pool).map((m) => updateOne(m, true)));
      })();
      await Promise.all([runCold, runWarm]);
    }),
  );
}

async function canaries(app, list, base, release, image) {
  for (const group of new Set(list.map(groupOf))) {
    say(`Creating canary machine for group ${group}`);
    const canary = await machines('POST', `/apps/${app}/machines`, {
      config: {
        ...configFor(
          base,
          list.find((m) => groupOf(m) === group),
          release,
          image,
          { fly_canary: 'true' },
        ),
        dns: { skip_registration: true },
      },
      skip_service_registration: true,
    });
    await waitStarted(app, canary);
    await machines('DELETE', `/apps/${app}/machines/${canary.id}?kill=true`);
    say(`  Canary machine ${canary.id} destroyed`);
  }
}

async function bluegreen(app, blue, base, release, image, options) {
  say('\nVerifying if app can be safely deployed ');
  if (blue.some((m) => checksConfigured(configFor(base, m, release, image)) === 0)) {
    say(
      '\n\nYou need to define at least 1 check in order to use blue-green deployments. Refer to https://fly.io/docs/reference/configuration/#services-tcp_checks',
    );
    throw new FlyError('app not in valid state for bluegreen deployments');
  }
  const tag = String(Date.now());
  say('\nCreating green machines');
  const green = [];
  for (const m of blue) {
    const g = await machines('POST', `/apps/${app}/machines`, {
      config: configFor(base, m, release, image, { fly_bluegreen_deployment_tag: tag }),
      region: m.region,
      skip_service_registration: true,
    });
    green.push(g);
    say(`  Created machine ${g.id}`);
  }
  try {
    say('\nWaiting for all green machines to start');
    for (const g of green) await waitStarted(app, g);
    say('\nWaiting for all green machines to be healthy');
    for (const g of green) await waitHealthy(app, g.id, options.waitTimeoutMs);
  } catch (error) {
    say('\nRolling back failed deployment');
    for (const g of green) {
      await machines('DELETE', `/apps/${app}/machines/${g.id}?kill=true`);
      say(`  Deleted machine ${g.id}`);
    }
    throw error;
  }
  say('\nMarking green machines as ready');
  for (const g of green) {
    await machines('POST', `/apps/${app}/machines/${g.id}/uncordon`);
    say(`  Machine ${g.id} now ready`);
  }
  say('\nCheckpointing deployment, this may take a few seconds...');
  for (const m of blue)
    await machines(
      'POST',
      `/apps/${app}/machines/${m.id}/metadata/fly_bluegreen_deployment_tag`,
      { value: 'safe_to_destroy' },
      { 'fly-machine-lease-nonce': options.nonces.get(m.id) },
    );
  say('\nWaiting before cordoning all blue machines');
  await sleep(bluegreenWaitMs());
  for (const m of blue) {
    await machines('POST', `/apps/${app}/machines/${m.id}/cordon`, undefined, {
      'fly-machine-lease-nonce': options.nonces.get(m.id),
    });
    say(`  Machine ${m.id} cordoned`);
  }
  say('\nWaiting before stopping all blue machines');
  await sleep(bluegreenWaitMs());
  say('\nStopping all blue machines');
  for (const m of blue)
    await machines(
      'POST',
      `/apps/${app}/machines/${m.id}/stop`,
      {},
      { 'fly-machine-lease-nonce': options.nonces.get(m.id) },
    );
  say('\nWaiting for all blue machines to stop');
  for (const m of blue) {
    const now = await machines('GET', `/apps/${app}/machines/${m.id}`);
    await machines(
      'GET',
      `/apps/${app}/machines/${m.id}/wait?instance_id=${now.instance_id}&state=stopped&timeout=60`,
    );
  }
  say('\nDestroying all blue machines');
  for (const m of blue) {
    await machines('DELETE', `/apps/${app}/machines/${m.id}?kill=true`, undefined, {
      'fly-machine-lease-nonce': options.nonces.get(m.id),
    });
    options.nonces.delete(m.id);
    say(`  Machine ${m.id} destroyed`);
  }
  say('\nDeployment Complete');
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
