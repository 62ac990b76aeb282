// How `fly deploy` changes machines for each strategy, in flyctl's order
// (internal/command/deploy): see deploy.mjs for the whole flow.
// - rolling (machines_deploymachinesapp.go updateUsingRollingStrategy): machines sorted by ID,
//   by process group; stopped ones all at once, started ones one spearhead first, then the rest
//   in pools of ceil(n × max-unavailable 0.33); the first failure cancels the rest.
// - canary: a temporary canary machine per group (metadata fly_canary=true, DNS skipped) is
//   started and destroyed first, then rolling.
// - immediate: every machine updated at once, nothing waited for.
// - bluegreen (strategy_bluegreen.go): green machines created cordoned beside blue, started,
//   healthy, uncordoned; blue tagged, cordoned, stopped and destroyed.
import { FlyError, machines } from './api.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line = '') => process.stdout.write(`${line}\n`);
const bluegreenWaitMs = () => Number(process.env.FAKE_FLY_BLUEGREEN_WAIT_MS ?? 800);

export const groupOf = (m) => m.config?.metadata?.fly_process_group ?? 'app';
export const isAppMachine = (m) =>
  m.state !== 'destroyed' && !groupOf(m).startsWith('fly_app_') && m.config?.metadata?.fly_canary !== 'true';

function checksConfigured(config) {
  return (
    Object.keys(config.checks ?? {}).length +
    (config.services ?? []).reduce((n, s) => n + (s.checks?.length ?? 0), 0)
  );
}

export async function waitStarted(app, m) {
  await machines(
    'GET',
    `/apps/${app}/machines/${m.id}/wait?instance_id=${m.instance_id}&state=started&timeout=60`,
  );
}

/** flyctl's WaitForHealthchecksToPass: at least one result, all passing, else the timeout. */
export async function waitHealthy(app, id, timeoutMs) {
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

export function configFor(base, machine, release, image, extra = {}) {
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

export async function rolling(app, list, base, release, image, options) {
  const groups = new Map();
  for (const m of [...list].sort((a, b) => a.id.localeCompare(b.id)))
    groups.set(groupOf(m), [...(groups.get(groupOf(m)) ?? []), m]);
  let index = 0;
  const total = list.length;
  let cancelled = false;
  const updateOne = async (m, warm) => {
    const n = ++index;
    if (cancelled) {
      say(`  [${n}/${total}] Machine ${m.id} [${groupOf(m)}] update canceled`);
      return;
    }
    say(`  [${n}/${total}] Updating ${m.id} [${groupOf(m)}]`);
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
        say(`  [${n}/${total}] Machine ${m.id} [${groupOf(m)}] update failed: ${error.message}`);
        throw error;
      }
    }
    say(`  ✔ [${n}/${total}] Machine ${m.id} [${groupOf(m)}] update succeeded`);
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

export async function canaries(app, list, base, release, image) {
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

export async function bluegreen(app, blue, base, release, image, options) {
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
