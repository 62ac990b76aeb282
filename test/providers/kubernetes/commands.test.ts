// cutover's commands on Kubernetes, through the real CLI against the fake API server, checked
// against the real kubectl looking at the same Deployment at the same moment: the same calls
// kubectl makes, and the same view of the rollout.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type FakeKube, startFakeKube } from '../../fakes/kubernetes/index.ts';
import { kubectl } from '../../fakes/kubernetes/kubectl.ts';
import { showRun } from '../../local/platform/cli.ts';
import { kubeCli, NS, type StatusJson } from './kube-cli.ts';

let fake: FakeKube;
let run: ReturnType<typeof kubeCli>;

beforeEach(async () => {
  fake = await startFakeKube();
  fake.cluster.createDeployment({ name: 'shop', replicas: 3, image: 'shop:1' });
  await fake.cluster.rolledOut(NS, 'shop');
  run = kubeCli(fake);
});
afterEach(async () => {
  await fake.close();
});

async function status(): Promise<StatusJson> {
  const r = await run(['status', 'shop', '--json']);
  expect(r.code, showRun(r)).toBe(0);
  return r.json<StatusJson>();
}

/** The patches the fake received for one Deployment, times made comparable. */
function patches(name: string, namespace = NS) {
  const prefix = `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
  return fake
    .mutations()
    .filter((c) => c.path === prefix || c.path.startsWith(`${prefix}/`))
    .map((c) => ({
      method: c.method,
      subresource: c.path.slice(prefix.length),
      contentType: c.contentType,
      fieldManager: c.query.fieldManager ?? null,
      body: JSON.parse(JSON.stringify(c.body).replace(/"\d{4}-\d\d-\d\dT[\d:]+Z"/g, '"TIME"')),
    }));
}

describe('a rolling update, seen by cutover and kubectl alike', () => {
  test('S1: deploy --image waits like rollout status; history matches kubectl rollout history', async () => {
    const deploy = await run(['deploy', 'shop', '--image', 'shop:2', '--json']);
    expect(deploy.code, showRun(deploy)).toBe(0);
    expect(deploy.json()).toMatchObject({ app: 'shop', version: 2, outcome: 'active' });
    expect(patches('shop')).toEqual([
      {
        method: 'PATCH',
        subresource: '',
        contentType: 'application/strategic-merge-patch+json',
        fieldManager: 'kubectl-set',
        body: { spec: { template: { spec: { containers: [{ name: 'shop', image: 'shop:2' }] } } } },
      },
    ]);
    const rolled = await kubectl(fake, ['rollout', 'status', 'deployment/shop', '-n', NS, '--watch=false']);
    expect(rolled.stdout.trim()).toBe('deployment "shop" successfully rolled out');
    const history = await kubectl(fake, ['rollout', 'history', 'deployment/shop', '-n', NS]);
    const kubectlRevisions = [...history.stdout.matchAll(/^(\d+)\s/gm)].map((m) => Number(m[1]));
    const ours = (await run(['history', 'shop', '--json']))
      .json<{ version: number }[]>()
      .map((v) => v.version);
    expect(ours).toEqual([...kubectlRevisions].reverse());
  });

  test('mid-rollout, cutover status and kubectl rollout status say the same thing', async () => {
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 60_000 });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await fake.cluster.until(
      () => (fake.cluster.deployment(NS, 'shop').status?.updatedReplicas ?? 0) >= 1,
      10_000,
      'a new pod',
    );
    const ours = await status();
    const theirs = await kubectl(fake, ['rollout', 'status', 'deployment/shop', '-n', NS, '--watch=false']);
    const d = fake.cluster.deployment(NS, 'shop');
    expect(theirs.stdout.trim()).toBe(ours.rollout?.message);
    expect(ours.rollout).toMatchObject({
      from: 1,
      to: 2,
      kind: 'deploy',
      target: 3,
      ready: d.status?.availableReplicas === 3 ? 0 : expect.any(Number),
    });
    expect(ours.containers.filter((c) => c.version === 2).length).toBe(d.status?.updatedReplicas);
    expect(ours.containers.filter((c) => c.version === 2).every((c) => c.state === 'starting')).toBe(true);
    expect(ours.inputs.queued).toBeNull();
    expect(ours.inputsNote).toMatch(/does not report requests/);
  });
});

describe('commands send what kubectl sends', () => {
  test('B1: a rollback mid-rollout sends exactly kubectl undo patch, and takes effect', async () => {
    // The same Deployment in another namespace, for kubectl to undo.
    fake.cluster.createDeployment({ namespace: 'default', name: 'shop', replicas: 3, image: 'shop:1' });
    await fake.cluster.rolledOut('default', 'shop');
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 60_000 });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    fake.cluster.setImage('default', 'shop', 'shop:2');
    const undo = await kubectl(fake, ['rollout', 'undo', 'deployment/shop', '-n', 'default']);
    expect(undo.stdout.trim()).toBe('deployment.apps/shop rolled back');
    const back = await run(['rollback', 'shop', '--json']);
    expect(back.code, showRun(back)).toBe(0);
    expect(back.json()).toMatchObject({ version: 3, rollbackOf: 1, outcome: 'active' });
    expect(patches('shop')).toEqual(patches('shop', 'default'));
    expect(patches('shop')[0]).toMatchObject({ contentType: 'application/json-patch+json' });
    const s = await status();
    expect(s.version).toBe(3);
    const history = (await run(['history', 'shop', '--json'])).json<
      { version: number; kind: string; rollbackOf: number | null }[]
    >();
    expect(history[0]).toMatchObject({ version: 3, kind: 'rollback', rollbackOf: 1 });
  });

  test('B1: a rollback to the running template is a no-op in kubectl words', async () => {
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await fake.cluster.rolledOut(NS, 'shop');
    const r = await run(['rollback', 'shop', '2', '--json']);
    expect(r.code, showRun(r)).toBe(0);
    expect(r.json()).toMatchObject({ noop: true, version: 2 });
    expect(r.json()).toMatchObject({
      message: 'skipped rollback (current template already matches revision 2)',
    });
    expect(fake.mutations()).toEqual([]);
  });

  test('B2: a rollback names the Secrets and ConfigMaps it does not roll back', async () => {
    fake.cluster.createDeployment({
      name: 'api',
      replicas: 1,
      containers: [
        {
          name: 'api',
          image: 'api:1',
          env: [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'stripe', key: 'key' } } }],
          envFrom: [{ configMapRef: { name: 'api-config' } }],
        },
      ],
    });
    await fake.cluster.rolledOut(NS, 'api');
    fake.cluster.setImage(NS, 'api', 'api:2');
    await fake.cluster.rolledOut(NS, 'api');
    const r = await run(['rollback', 'api', '--detach']);
    expect(r.code, showRun(r)).toBe(0);
    expect(r.stderr).toContain(
      'warning: v1 reads ConfigMaps api-config and Secrets stripe: a rollback restores the pod template, not their contents',
    );
  });

  test('O1: rollover is kubectl rollout restart, a new revision of kind rollover', async () => {
    const r = await run(['rollover', 'shop', '--json']);
    expect(r.code, showRun(r)).toBe(0);
    expect(r.json()).toMatchObject({ version: 2, outcome: 'active' });
    const [patch] = patches('shop');
    expect(patch).toMatchObject({
      contentType: 'application/strategic-merge-patch+json',
      fieldManager: 'kubectl-rollout',
      body: {
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'TIME' } } } },
      },
    });
    const history = (await run(['history', 'shop', '--json'])).json<{ kind: string }[]>();
    expect(history.map((v) => v.kind)).toEqual(['rollover', 'deploy']);
  });

  test('P1: pause and resume set spec.paused; a paused Deployment refuses rollback as kubectl does', async () => {
    expect((await run(['pause', 'shop'])).stdout).toContain('deployment.apps/shop paused');
    expect(fake.cluster.deployment(NS, 'shop').spec.paused).toBe(true);
    expect((await status()).paused).toBe(true);
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    const refused = await run(['rollback', 'shop', '1', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/shop'",
    );
    expect((await run(['pause', 'shop'])).stdout).toContain('already paused');
    expect((await run(['resume', 'shop'])).stdout).toContain('deployment.apps/shop resumed');
    expect(fake.cluster.deployment(NS, 'shop').spec.paused).toBe(false);
  });

  test('T1: stop scales to 0 through /scale, keeping the count in an annotation; status says stopped', async () => {
    const refused = await run(['stop', 'shop']);
    expect(refused.code).toBe(2);
    expect(fake.mutations()).toEqual([]);
    const r = await run(['stop', 'shop', '--yes', '--json']);
    expect(r.code, showRun(r)).toBe(0);
    const scale = fake.mutations().find((c) => c.path.endsWith('/scale'));
    expect(scale).toMatchObject({
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 0 } },
    });
    expect(
      fake.cluster.deployment(NS, 'shop').metadata.annotations?.['cutover.dev/replicas-before-stop'],
    ).toBe('3');
    await fake.cluster.until(() => fake.cluster.pods(NS, 'shop').length === 0, 10_000, 'no pods');
    expect((await status()).status).toBe('stopped');
  });

  test('--strategy is refused on Kubernetes with the reason, before anything is sent', async () => {
    const r = await run(['rollover', 'shop', '--strategy', 'recreate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Kubernetes has no per-command strategy: a rollout uses the Deployment's own");
    expect(fake.mutations()).toEqual([]);
  });
});

describe('failures', () => {
  test('H1: a crash-looping revision is failed; wait --auto-rollback rolls it back and says so', async () => {
    fake.cluster.kubelet.behave('shop:bad', { crashLoop: true, exitCode: 3 });
    fake.cluster.setImage(NS, 'shop', 'shop:bad');
    const r = await run(['wait', 'shop', '--auto-rollback', '--timeout', '30s', '--json']);
    expect(r.code, showRun(r)).toBe(1);
    expect(r.json()).toMatchObject({
      version: 2,
      outcome: 'failed',
      autoRollback: { version: 3, rollbackOf: 1 },
    });
    await fake.cluster.rolledOut(NS, 'shop');
    const s = await status();
    expect(s.version).toBe(3);
    expect(s.containers.every((c) => c.version === 3 || c.state === 'draining')).toBe(true);
  });

  test('the crash loop reason is on the container', async () => {
    fake.cluster.kubelet.behave('shop:bad', { crashLoop: true, exitCode: 3 });
    fake.cluster.setImage(NS, 'shop', 'shop:bad');
    await fake.cluster.until(
      () => fake.cluster.pods(NS, 'shop').some((p) => JSON.stringify(p.status).includes('CrashLoopBackOff')),
      10_000,
      'a crash loop',
    );
    // Between back-offs the container runs again for a moment: read until the back-off shows.
    let reason: string | null | undefined;
    for (let i = 0; i < 20 && reason !== 'CrashLoopBackOff (exited 3)'; i++) {
      reason = (await status()).containers.find((c) => c.version === 2)?.reason;
      if (reason === 'CrashLoopBackOff (exited 3)') break;
      expect(reason).toMatch(/CrashLoopBackOff \(exited 3\)|running again after exit 3|readiness/);
    }
    expect(reason).toBe('CrashLoopBackOff (exited 3)');
  });

  test('ProgressDeadlineExceeded: cutover wait and kubectl rollout status both fail with it', async () => {
    fake.cluster.createDeployment({ name: 'late', replicas: 2, image: 'late:1', progressDeadlineSeconds: 1 });
    await fake.cluster.rolledOut(NS, 'late');
    fake.cluster.kubelet.behave('late:2', { imagePull: 'fail' });
    fake.cluster.setImage(NS, 'late', 'late:2');
    const ours = await run(['wait', 'late', '--timeout', '30s']);
    expect(ours.code, showRun(ours)).toBe(1);
    expect(ours.stdout).toContain('deployment "late" exceeded its progress deadline');
    const theirs = await kubectl(fake, ['rollout', 'status', 'deployment/late', '-n', NS]);
    expect(theirs.exitCode).toBe(1);
    expect(theirs.stderr).toContain('deployment "late" exceeded its progress deadline');
  });

  test('bad namespace and unknown app: exit 2, naming them', async () => {
    const ns = await run(['status', 'shop', '-n', 'nope']);
    expect(ns.code).toBe(2);
    expect(ns.stderr).toContain('namespace "nope" not found in context fake');
    const app = await run(['status', 'cart', '--json']);
    expect(app.code).toBe(2);
    expect(app.stderr).toContain('deployment "cart" not found in namespace shop-ns');
    expect(app.json()).toMatchObject({ error: { code: 'unknown-app' } });
  });

  test('a forbidden patch: exit 1 with the API server message', async () => {
    fake.forbid({
      method: 'PATCH',
      path: /deployments\/shop$/,
      message: 'deployments.apps "shop" is forbidden: User "ana" cannot patch resource "deployments"',
    });
    const r = await run(['rollover', 'shop', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('User "ana" cannot patch resource "deployments"');
    expect(r.json()).toMatchObject({ error: { code: 'Forbidden' } });
  });
});

describe('apps and logs', () => {
  test('apps lists the namespace Deployments with their revision', async () => {
    fake.cluster.createDeployment({ name: 'cart', replicas: 1, image: 'cart:1' });
    await fake.cluster.rolledOut(NS, 'cart');
    const r = await run(['apps', '--json']);
    expect(r.json()).toEqual(
      expect.arrayContaining([
        { app: 'shop', appId: 'shop', status: 'deployed', version: 1 },
        { app: 'cart', appId: 'cart', status: 'deployed', version: 1 },
      ]),
    );
  });

  test('logs prints each pod output, prefixed, like kubectl logs', async () => {
    fake.cluster.kubelet.behave('shop:2', { logs: ['listening on :8080', 'ready'] });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await fake.cluster.rolledOut(NS, 'shop');
    await fake.cluster.until(() => fake.cluster.pods(NS, 'shop').length === 3, 10_000, 'old pods gone');
    const pod = fake.cluster.pods(NS, 'shop')[0]!.metadata.name;
    const r = await run(['logs', 'shop', '--container', pod]);
    expect(r.code, showRun(r)).toBe(0);
    const theirs = await kubectl(fake, ['logs', pod, '-n', NS]);
    expect(r.stdout).toBe(
      theirs.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => `[${pod}] ${l}\n`)
        .join(''),
    );
    expect(r.stdout).toContain('listening on :8080');
  });
});
