// Issue 12: rolling deploys of servers nobody here wrote — nginx (Debian's nginx-light) and a
// Python WSGI app under gunicorn — with 20 MB downloads, 5 MB uploads and small requests running
// through the proxy the whole time. Every transfer must complete whole; none may fail.
import { createHash } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { firstLine } from './cli.ts';
import { call, type Reply } from './http.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const DOWNLOAD = 20 * 1024 * 1024;
const UPLOAD = 5 * 1024 * 1024;

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

interface Transfer {
  kind: 'download' | 'upload' | 'small';
  start: number;
  end: number;
  ok: boolean;
  detail: string;
  version: number | null;
}

/** Downloads, uploads and small requests in three loops, until `until` settles and a bit after. */
async function transfersDuring(
  until: Promise<unknown>,
  o: {
    download: (n: number) => Promise<Reply>;
    upload: (n: number) => Promise<Reply>;
    small: () => Promise<Reply>;
    checkDownload: (reply: Reply) => boolean;
    checkUpload: (reply: Reply) => boolean;
  },
): Promise<Transfer[]> {
  const transfers: Transfer[] = [];
  let done = false;
  void until.finally(() => setTimeout(() => (done = true), 1_000));
  const loop = async (
    kind: Transfer['kind'],
    one: (n: number) => Promise<Reply>,
    check: (r: Reply) => boolean,
  ) => {
    for (let n = 0; !done && n < 500; n++) {
      const start = Date.now();
      try {
        const reply = await one(n);
        const version = Number(reply.json?.version ?? reply.headers['x-version'] ?? Number.NaN);
        transfers.push({
          kind,
          start,
          end: Date.now(),
          ok: check(reply),
          detail: `${reply.status} ${reply.body.length} bytes`,
          version: Number.isNaN(version) ? null : version,
        });
      } catch (error) {
        transfers.push({ kind, start, end: Date.now(), ok: false, detail: String(error), version: null });
      }
    }
  };
  await Promise.all([
    loop('download', o.download, o.checkDownload),
    loop('upload', o.upload, o.checkUpload),
    loop('small', o.small, (r) => r.status === 200),
  ]);
  return transfers;
}

function zeros(bytes: number): string {
  return createHash('sha256').update(Buffer.alloc(bytes)).digest('hex');
}

/** Deploys v1, then v2 while transfers run; returns them with the deploy's time window. */
async function rollingDeployUnderTransfers(
  b: Sandbox,
  manifest: (revision: number) => string,
  traffic: (url: string) => Parameters<typeof transfersDuring>[1],
): Promise<{ transfers: Transfer[]; deployStart: number; deployEnd: number }> {
  writeFileSync(join(b.appDir, 'cutover.toml'), manifest(1));
  await b.ok(['deploy', b.appDir], { timeoutMs: 120_000 });
  const url = (await b.status()).functions[0]!.url!;
  writeFileSync(join(b.appDir, 'cutover.toml'), manifest(2));
  let deployStart = 0;
  let deployEnd = 0;
  const deployed = new Promise<void>((resolve) => setTimeout(resolve, 1_500)).then(async () => {
    deployStart = Date.now();
    await b.ok(['deploy', b.appDir], { timeoutMs: 120_000 });
    deployEnd = Date.now();
  });
  const transfers = await transfersDuring(deployed, traffic(url));
  await deployed;
  return { transfers, deployStart, deployEnd };
}

/**
 * S1: each old container stopped once its transfers were done; none had to wait out its drain
 * timeout (30 s here, far longer than any transfer takes). A transfer that hangs on a container
 * shows here even when the drain timeout's retry hides it from the client.
 */
async function expectDrainsFinished(b: Sandbox): Promise<void> {
  const snapshot = JSON.parse(await firstLine(b.home, ['watch', 'shop', '--json']));
  const kinds: string[] = snapshot.events.map((e: { kind: string }) => e.kind);
  expect(kinds).toContain('container-exited');
  expect(snapshot.events.filter((e: { kind: string }) => e.kind === 'drain-timeout')).toEqual([]);
}

function expectWhole(result: Awaited<ReturnType<typeof rollingDeployUnderTransfers>>): void {
  const { transfers, deployStart, deployEnd } = result;
  const failures = transfers.filter((t) => !t.ok);
  const during = (kind: Transfer['kind']) =>
    transfers.filter((t) => t.kind === kind && t.end > deployStart && t.start < deployEnd).length;
  console.log(
    `${transfers.length} transfers: ${during('download')} downloads, ${during('upload')} uploads, ${during('small')} small during the rollout`,
  );
  expect(failures.slice(0, 3)).toEqual([]);
  expect(during('download')).toBeGreaterThan(0);
  expect(during('upload')).toBeGreaterThan(0);
  const versions = new Set(transfers.filter((t) => t.kind === 'small').map((t) => t.version));
  expect(versions).toEqual(new Set([1, 2]));
}

describe('third-party servers through rolling deploys (local platform)', () => {
  it('S1 nginx: 20 MB downloads, 5 MB uploads (WebDAV PUT) and small requests all complete through a rolling deploy', async () => {
    box = sandbox();
    for (const file of ['nginx.conf', 'start.sh'])
      copyFileSync(join(FIXTURES, 'nginx', file), join(box.appDir, file));
    const manifest = (revision: number) =>
      [
        'app = "shop"',
        '[build]',
        `command = "head -c ${DOWNLOAD} /dev/zero > big.bin && echo ${revision} > revision.txt"`,
        '[[functions]]',
        'name = "web"',
        'command = "sh start.sh"',
        'containers = 2',
        'concurrency = 16',
        'ready = "/healthz"',
        'max_surge = 1',
        'min_ready = "500ms"',
        '[env]',
        `REVISION = "${revision}"`,
        '',
      ].join('\n');
    const bigHash = zeros(DOWNLOAD);
    const result = await rollingDeployUnderTransfers(box, manifest, (url) => ({
      download: () => call(`${url}/big.bin`).reply,
      upload: (n) => call(`${url}/upload/file-${n}`, { method: 'PUT', body: Buffer.alloc(UPLOAD, 7) }).reply,
      small: () => call(`${url}/version`).reply,
      checkDownload: (r) =>
        r.status === 200 &&
        createHash('sha256').update(Buffer.from(r.body, 'latin1')).digest('hex') === bigHash,
      checkUpload: (r) => r.status === 201 || r.status === 204,
    }));
    expectWhole(result);
    await expectDrainsFinished(box);
  }, 180_000);

  it('S1 gunicorn (Python WSGI): 20 MB downloads, 5 MB uploads and small requests all complete through a rolling deploy', async () => {
    box = sandbox();
    copyFileSync(join(FIXTURES, 'wsgi', 'wsgi.py'), join(box.appDir, 'wsgi.py'));
    const manifest = (revision: number) =>
      [
        'app = "shop"',
        '[[functions]]',
        'name = "web"',
        'command = "exec gunicorn --bind 127.0.0.1:$PORT --workers 2 --log-level warning wsgi:app"',
        'containers = 2',
        'concurrency = 2',
        'ready = "/healthz"',
        'max_surge = 1',
        'min_ready = "500ms"',
        '[env]',
        `REVISION = "${revision}"`,
        '',
      ].join('\n');
    const result = await rollingDeployUnderTransfers(box, manifest, (url) => ({
      download: () => call(`${url}/download?bytes=${DOWNLOAD}`).reply,
      upload: () => call(`${url}/upload`, { method: 'POST', body: Buffer.alloc(UPLOAD, 7) }).reply,
      small: () => call(`${url}/`).reply,
      checkDownload: (r) => r.status === 200 && r.body.length === DOWNLOAD && /^a+$/.test(r.body),
      checkUpload: (r) => r.status === 200 && r.json?.bytes === UPLOAD,
    }));
    expectWhole(result);
    await expectDrainsFinished(box);
  }, 180_000);
});
