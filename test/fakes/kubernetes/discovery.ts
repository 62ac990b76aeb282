// Discovery documents, shaped as a v1.32 API server answers a client that accepts plain JSON
// (apiserver pkg/endpoints/discovery: APIVersions, APIGroupList, APIResourceList). Aggregated
// discovery (apidiscovery.k8s.io/v2) is not offered, so kubectl falls back to these, and only
// the resources the fake serves are listed: kubectl's RESTMapper then knows nothing else.
import type { JsonObject } from './json.ts';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const version: JsonObject = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac5b1ab3c3',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:03:45Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export const coreVersions: JsonObject = {
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
};

const appsGroup: JsonObject = {
  name: 'apps',
  versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
  preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
};

export const groupList: JsonObject = { kind: 'APIGroupList', apiVersion: 'v1', groups: [appsGroup] };

export const appsGroupDoc: JsonObject = { kind: 'APIGroup', apiVersion: 'v1', ...appsGroup };

export const coreResources: JsonObject = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'namespaces',
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['ns'],
      storageVersionHash: 'Q3oi5N2YM8M=',
    },
    {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: VERBS,
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: 'xPOwRZ+Yhw8=',
    },
    { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
    {
      name: 'pods/status',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get', 'patch', 'update'],
    },
  ],
};

export const appsResources: JsonObject = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'apps/v1',
  resources: [
    {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: VERBS,
      shortNames: ['deploy'],
      categories: ['all'],
      storageVersionHash: '8aSe+NMegvE=',
    },
    {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    },
    {
      name: 'deployments/status',
      singularName: '',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['get', 'patch', 'update'],
    },
    {
      name: 'replicasets',
      singularName: 'replicaset',
      namespaced: true,
      kind: 'ReplicaSet',
      verbs: VERBS,
      shortNames: ['rs'],
      categories: ['all'],
      storageVersionHash: 'P1RzHs8/mWQ=',
    },
    {
      name: 'replicasets/status',
      singularName: '',
      namespaced: true,
      kind: 'ReplicaSet',
      verbs: ['get', 'patch', 'update'],
    },
  ],
};

/** The discovery document for a path, or undefined when the path is not discovery. */
export function discovery(path: string): JsonObject | undefined {
  switch (path) {
    case '/version':
      return version;
    case '/api':
      return coreVersions;
    case '/apis':
      return groupList;
    case '/api/v1':
      return coreResources;
    case '/apis/apps':
      return appsGroupDoc;
    case '/apis/apps/v1':
      return appsResources;
    default:
      return undefined;
  }
}
