// `cutover watch shop --platform kubernetes` in a real pseudo-terminal against the fake API
// server: the screen a person sees mid-rollout, `r` and confirm, and the fake receives exactly the
// patch `kubectl rollout undo` sends (kubectl itself undoes a twin Deployment to compare).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { type FakeKube, startFakeKube } from '../fakes/kubernetes/index.ts';
import { kubectl } from '../fakes/kubernetes/kubectl.ts';
import { spawnTerminal, type Terminal } from '../helpers/terminal.ts';
import { dialogKeyOf, keyOf } from './keys.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'cutover.js');
const NS = 'shop-ns';
let fake: FakeKube | null = null;
let term: Terminal | null = null;

afterEach(async () => {
  term?.dispose();
  term = null;
  await fake?.close();
  fake = null;
});

const undoPatch = (namespace: string) =>
  fake
    ?.mutations()
    .filter((c) => c.path === `/apis/apps/v1/namespaces/${namespace}/deployments/shop`)
    .map((c) => ({ contentType: c.contentType, body: c.body }));

test('B1 on Kubernetes: r mid-rollout, confirmed, sends kubectl undo patch; the screen follows to v3', async () => {
  fake = await startFakeKube();
  for (const namespace of [NS, 'default']) {
    fake.cluster.createDeployment({ namespace, name: 'shop', replicas: 3, image: 'shop:1' });
    await fake.cluster.rolledOut(namespace, 'shop');
  }
  // v2 never becomes ready: the rollout stays in progress until it is rolled back.
  fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 600_000 });
  fake.cluster.setImage(NS, 'shop', 'shop:2');
  fake.cluster.setImage('default', 'shop', 'shop:2');

  term = spawnTerminal({
    file: process.execPath,
    args: [bin, 'watch', 'shop', '--platform', 'kubernetes'],
    cols: 100,
    rows: 30,
    cwd: root,
    env: { KUBECONFIG: fake.kubeconfig, CUTOVER_HOME: mkdtempSync(join(tmpdir(), 'cutover-e2e-kube-')) },
  });
  const t = term;
  // The header says where, as k9s does: the context and namespace the kubeconfig chose.
  await t.waitFor(/^shop · kubernetes fake\/shop-ns · v1 · v1 → v2/m, { timeoutMs: 30_000 });
  expect(t.screen()).toContain('not reported');

  t.write(keyOf('rollout.rollback'));
  await t.waitFor('Roll back shop to:');
  expect(t.screen()).toMatch(/▸ v1 {2}deploy/);
  t.write(dialogKeyOf('dialog.confirm'));
  await t.waitFor(/^shop · kubernetes fake\/shop-ns · v3/m, { timeoutMs: 30_000 });

  const undo = await kubectl(fake, ['rollout', 'undo', 'deployment/shop', '-n', 'default']);
  expect(undo.exitCode).toBe(0);
  const ours = undoPatch(NS);
  expect(ours).toHaveLength(1);
  expect(ours).toEqual(undoPatch('default'));
  expect(ours?.[0]?.contentType).toBe('application/json-patch+json');

  t.write(keyOf('app.quit'));
  expect(await t.exited).toEqual({ exitCode: 0 });
  // Quitting changed nothing: no other call mutated the cluster.
  expect(fake.mutations().filter((c) => c.path.includes(`/namespaces/${NS}/`))).toHaveLength(1);
}, 120_000);
