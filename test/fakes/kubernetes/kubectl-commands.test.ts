// The fake checked by the real kubectl's commands: history, undo (its exact JSON patch),
// restart, scale through /scale, set image, get -o json, logs, and the server's refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeKube, startFakeKube } from './index.ts';
import { kubectl, startKubectl } from './kubectl.ts';
import { call } from './raw-client.ts';

const NS = 'shop-ns';
const PATH = `/apis/apps/v1/namespaces/${NS}/deployments/shop`;
let fake: FakeKube;

beforeEach(async () => {
  fake = await startFakeKube();
  fake.cluster.kubelet.behave('shop:1', { logs: ['shop 1 starting', 'listening on :8080'] });
  fake.cluster.createDeployment({ name: 'shop', replicas: 2, image: 'shop:1' });
  await fake.cluster.rolledOut(NS, 'shop');
});

afterEach(async () => {
  await fake.close();
});

const revisions = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => /^\d+\s/.test(l))
    .map((l) => l.split(/\s+/)[0]!);

describe('kubectl against the fake', () => {
  it('rollout undo --to-revision=1 sends exactly undo’s JSON patch; history renumbers 1 as 3', async () => {
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await fake.cluster.rolledOut(NS, 'shop');
    const before = await kubectl(fake, ['rollout', 'history', 'deployment/shop']);
    expect(before.stdout).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(revisions(before.stdout)).toEqual(['1', '2']);
    expect(before.stdout).toMatch(/^1\s+<none>$/m);

    // rollback.go: the revision's template without pod-template-hash, and the Deployment's
    // own revision annotations with the ReplicaSet's others.
    const rs1 = fake.cluster.replicaSets(NS, 'shop')[0]!;
    const template = structuredClone(rs1.spec.template);
    delete template.metadata.labels?.['pod-template-hash'];
    fake.expectCall({
      method: 'PATCH',
      path: PATH,
      contentType: 'application/json-patch+json',
      body: [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '2' } },
      ] as never,
    });
    const undo = await kubectl(fake, ['rollout', 'undo', 'deployment/shop', '--to-revision=1']);
    expect(undo.stdout.trim()).toBe('deployment.apps/shop rolled back');
    fake.checkExpected({ noOtherMutations: true });

    await fake.cluster.rolledOut(NS, 'shop');
    const after = await kubectl(fake, ['rollout', 'history', 'deployment/shop']);
    expect(revisions(after.stdout)).toEqual(['2', '3']);
    const back = fake.cluster.replicaSets(NS, 'shop').at(-1)!;
    expect(back.metadata.name).toBe(rs1.metadata.name);
    expect(back.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(back.spec.template.spec.containers[0]?.image).toBe('shop:1');
    const skipped = await kubectl(fake, ['rollout', 'undo', 'deployment/shop', '--to-revision=3']);
    expect(skipped.stdout.trim()).toBe(
      'deployment.apps/shop skipped rollback (current template already matches revision 3)',
    );
  });

  it('rollout restart sends the restartedAt strategic merge patch and makes a new revision', async () => {
    const restart = await kubectl(fake, ['rollout', 'restart', 'deployment/shop']);
    expect(restart.stdout.trim()).toBe('deployment.apps/shop restarted');
    const patch = fake.mutations()[0]!;
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: PATH,
      query: { fieldManager: 'kubectl-rollout' },
      contentType: 'application/strategic-merge-patch+json',
    });
    const restartedAt = (
      patch.body as { spec: { template: { metadata: { annotations: Record<string, string> } } } }
    ).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect(patch.body).toEqual({
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } },
    });

    const status = await kubectl(fake, ['rollout', 'status', 'deployment/shop']);
    expect(status.stdout.trim().split('\n').at(-1)).toBe('deployment "shop" successfully rolled out');
    const sets = fake.cluster.replicaSets(NS, 'shop');
    expect(sets.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'])).toEqual([
      '1',
      '2',
    ]);
    expect(sets[1]?.spec.template.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/restartedAt': restartedAt,
    });
  });

  it('scale --replicas=0 goes through /scale and starts no rollout', async () => {
    fake.expectCall({
      method: 'PATCH',
      path: `${PATH}/scale`,
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 0 } },
    });
    const scale = await kubectl(fake, ['scale', 'deployment/shop', '--replicas=0']);
    expect(scale.stdout.trim()).toBe('deployment.apps/shop scaled');
    fake.checkExpected({ noOtherMutations: true });
    await fake.cluster.until(() => fake.cluster.pods(NS, 'shop').length === 0);

    const d = fake.cluster.deployment(NS, 'shop');
    expect(d.spec.replicas).toBe(0);
    expect(d.status.replicas ?? 0).toBe(0);
    expect(fake.cluster.replicaSets(NS, 'shop').map((rs) => rs.spec.replicas)).toEqual([0]);
    const got = await kubectl(fake, ['get', 'deployment', 'shop', '--no-headers']);
    expect(got.stdout).toMatch(/^shop\s+0\/0\s+0\s+0\s/);
  });

  it('set image patches the container by name and rolls out a revision with that image', async () => {
    const set = await kubectl(fake, ['set', 'image', 'deployment/shop', 'shop=shop:2']);
    expect(set.stdout.trim()).toBe('deployment.apps/shop image updated');
    // set_image.go computes a two-way strategic merge patch: containers merged by name.
    expect(fake.mutations()).toHaveLength(1);
    expect(fake.mutations()[0]).toMatchObject({
      path: PATH,
      query: { fieldManager: 'kubectl-set' },
      contentType: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'shop' }],
              containers: [{ image: 'shop:2', name: 'shop' }],
            },
          },
        },
      },
    });
    await fake.cluster.rolledOut(NS, 'shop');
    const latest = fake.cluster.replicaSets(NS, 'shop').at(-1)!;
    expect(latest.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(latest.spec.template.spec.containers.map((c) => c.image)).toEqual(['shop:2']);
    expect(fake.cluster.pods(NS, 'shop').map((p) => p.spec.containers[0]?.image)).toEqual([
      'shop:2',
      'shop:2',
    ]);
  });

  it('get deploy,rs,pods -o json lists what the model holds', async () => {
    const got = await kubectl(fake, ['get', 'deploy,rs,pods', '-o', 'json']);
    const list = JSON.parse(got.stdout) as {
      kind: string;
      items: { kind: string; metadata: { name: string } }[];
    };
    expect(list.kind).toBe('List');
    const names = (kind: string) =>
      list.items
        .filter((i) => i.kind === kind)
        .map((i) => i.metadata.name)
        .sort();
    expect(names('Deployment')).toEqual(['shop']);
    expect(names('ReplicaSet')).toEqual(fake.cluster.replicaSets(NS, 'shop').map((rs) => rs.metadata.name));
    expect(names('Pod')).toEqual(
      fake.cluster
        .pods(NS, 'shop')
        .map((p) => p.metadata.name)
        .sort(),
    );
  });

  it('logs prints the scripted lines; logs -f streams new ones', async () => {
    const pod = fake.cluster.pods(NS, 'shop')[0]!.metadata.name;
    const logs = await kubectl(fake, ['logs', pod]);
    expect(logs.stdout).toBe('shop 1 starting\nlistening on :8080');
    const follow = startKubectl(fake, ['logs', '-f', pod]);
    await follow.waitFor(/listening on :8080/);
    fake.cluster.kubelet.emit('shop:1', 'GET /healthz 200');
    await follow.waitFor(/GET \/healthz 200/);
    follow.stop();
  });

  it('delete pod: the pod goes through Terminating and its ReplicaSet replaces it; delete deployment cascades', async () => {
    const [doomed, kept] = fake.cluster.pods(NS, 'shop').map((p) => p.metadata.name);
    const del = await kubectl(fake, ['delete', 'pod', doomed!]);
    expect(del.stdout.trim()).toBe(`pod "${doomed}" deleted`);
    await fake.cluster.rolledOut(NS, 'shop');
    const names = fake.cluster.pods(NS, 'shop').map((p) => p.metadata.name);
    expect(names).toHaveLength(2);
    expect(names).toContain(kept);
    expect(names).not.toContain(doomed);

    const sets = fake.cluster.replicaSets(NS, 'shop').map((rs) => rs.metadata.name);
    const gone = await kubectl(fake, ['delete', 'deployment', 'shop']);
    expect(gone.stdout.trim()).toBe('deployment.apps "shop" deleted');
    await fake.cluster.until(() => fake.cluster.store.list('pods', NS).length === 0, 5000, 'pods collected');
    expect(fake.cluster.store.list('replicasets', NS).map((rs) => rs.metadata.name)).not.toContain(sets[0]);
    const get = await kubectl(fake, ['get', 'deploy,rs,pods']);
    expect(get.stderr.trim()).toBe(`No resources found in ${NS} namespace.`);
  });

  it('refusals come back as kubectl prints them: 403 with the server’s message, 404, 401', async () => {
    fake.forbid({ method: 'PATCH', path: /\/deployments\/shop$/ });
    const restart = await kubectl(fake, ['rollout', 'restart', 'deployment/shop']);
    expect(restart.exitCode).toBe(1);
    expect(restart.stderr).toContain(
      'deployments.apps "shop" is forbidden: User "cutover-test" cannot patch resource "deployments" in API group "apps" in the namespace "shop-ns"',
    );
    expect(fake.cluster.replicaSets(NS, 'shop')).toHaveLength(1);

    const missing = await kubectl(fake, ['get', 'deployment', 'nope']);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    // kubectl ≥ 1.30 asks for the namespace after a 404 and names it when it is the one missing.
    const elsewhere = await kubectl(fake, ['get', 'deployment', 'shop', '-n', 'nope']);
    expect(elsewhere.stderr.trim()).toMatch(
      /^Error from server \(NotFound\): (namespaces "nope"|deployments\.apps "shop") not found$/,
    );
    const ns = await kubectl(fake, ['get', 'namespace', 'nope']);
    expect(ns.stderr.trim()).toBe('Error from server (NotFound): namespaces "nope" not found');
    const other = await kubectl(fake, ['--context', 'other', 'get', 'deployments', '-o', 'name']);
    expect(other).toMatchObject({ exitCode: 0, stdout: '' });

    const badToken = await kubectl(fake, ['--token', 'wrong', 'get', 'deployments']);
    expect(badToken.exitCode).toBe(1);
    expect(badToken.stderr).toMatch(/Unauthorized|provide credentials/);
  });

  it('over plain HTTP (tls: false) kubectl, which sends no token there, is let in; a wrong token is not', async () => {
    const plain = await startFakeKube({ tls: false });
    try {
      plain.cluster.createDeployment({ name: 'cart', image: 'cart:1' });
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const got = await kubectl(plain, ['get', 'deployments', '-o', 'name']);
      expect(got).toMatchObject({ exitCode: 0, stdout: 'deployment.apps/cart' });
      const wrong = await call(plain, '/apis/apps/v1/namespaces/shop-ns/deployments', { token: 'wrong' });
      expect(wrong.status).toBe(401);
    } finally {
      await plain.close();
    }
  });
});
