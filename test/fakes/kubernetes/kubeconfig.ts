// A kubeconfig for the fake, as `kubectl config` writes one: context `fake` (current,
// namespace shop-ns) and `other` (namespace default), both on the fake's cluster with a
// bearer token (and the test-only CA over TLS). The directory is 0700 and the file 0600: it holds a token.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function writeKubeconfig(
  server: string,
  token: string,
  ca: string | null,
): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kube-'));
  const path = join(dir, 'kubeconfig');
  const text = `apiVersion: v1
kind: Config
clusters:
- name: fake-cluster
  cluster:
    server: ${server}${ca ? `\n    certificate-authority-data: ${Buffer.from(ca).toString('base64')}` : ''}
contexts:
- name: fake
  context:
    cluster: fake-cluster
    user: fake-user
    namespace: shop-ns
- name: other
  context:
    cluster: fake-cluster
    user: fake-user
    namespace: default
current-context: fake
preferences: {}
users:
- name: fake-user
  user:
    token: ${token}
`;
  writeFileSync(path, text, { mode: 0o600 });
  return { dir, path };
}
