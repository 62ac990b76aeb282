// What flyctl prints with --json, as Go prints it: encoding/json through an Encoder with a
// 4-space indent (flyctl internal/render/render.go), which also escapes <, > and & as \u003c…,
// struct fields in declaration order under their Go names where the type has no json tags.

/** render.JSON: json.NewEncoder(w).SetIndent("", "    ").Encode(v). */
export function goJson(value) {
  return `${JSON.stringify(value, null, 4).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}\n`;
}

/**
 * `fly releases --json` (internal/command/apps/releases.go): fly.Release (fly-go types.go), no
 * json tags, so Go's field names; the GraphQL query fills id, version, description, reason,
 * status, imageRef, stable, user and createdAt; every other field is its zero value.
 */
export function releasesJson(releases) {
  return goJson(
    [...releases]
      .sort((a, b) => b.version - a.version)
      .map((r) => ({
        ID: r.id,
        Version: r.version,
        Stable: r.stable,
        InProgress: false,
        Reason: '',
        Description: '',
        Status: r.status,
        DeploymentStrategy: '',
        Metadata: null,
        User: { ID: `user_${r.user}`, Name: '', Email: r.user, EnablePaidHobby: false },
        EvaluationID: '',
        CreatedAt: r.created_at,
        ImageRef: r.image_ref,
      })),
  );
}

/** The table `fly releases --image` prints: Version, Status, Description, User, Date, Docker Image. */
export function releasesTable(releases, image) {
  const rows = [...releases]
    .sort((a, b) => b.version - a.version)
    .map((r) => [`v${r.version}`, r.status, '', r.user, r.created_at, ...(image ? [r.image_ref] : [])]);
  const head = ['VERSION', 'STATUS', 'DESCRIPTION', 'USER', 'DATE', ...(image ? ['DOCKER IMAGE'] : [])];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('\t')
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/**
 * `fly status --json` (internal/command/status/machines.go renderMachineJSONStatus): a map, so
 * Go sorts its keys; Organization is fly.OrganizationBasic; Machines only `fly_platform_version`
 * v2 machines, sorted by ID descending as RenderMachineStatus sorts them.
 */
export function statusJson(app, machines, version) {
  const shown = machines
    .filter((m) => m.config?.metadata?.fly_platform_version === 'v2')
    .sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
  return goJson({
    AppURL: `https://${app.name}.fly.dev`,
    Deployed: app.status === 'deployed',
    Hostname: `${app.name}.fly.dev`,
    ID: app.name,
    Machines: shown,
    Name: app.name,
    Organization: {
      ID: `org_${app.organization.slug}`,
      InternalNumericID: '1',
      Name: app.organization.name,
      Slug: app.organization.slug,
      RawSlug: app.organization.slug,
      PaidPlan: false,
    },
    PlatformVersion: 'machines',
    Status: app.status,
    Version: version,
  });
}

/** `fly secrets list --json` with status (internal/command/secrets/list.go SecretWithStatus). */
export function secretsJson(secrets) {
  return goJson(secrets.map((s) => ({ name: s.name, digest: s.digest, status: 'Deployed' })));
}

/** One `fly logs --json` entry (flyctl logs/entry.go LogEntry). */
export function logEntryJson(entry) {
  return goJson({
    level: entry.level,
    instance: entry.instance,
    message: entry.message,
    region: entry.region,
    timestamp: entry.timestamp,
    meta: {
      Instance: entry.instance,
      Region: entry.region,
      Event: { Provider: 'app' },
      HTTP: { Request: { ID: '', Method: '', Version: '' }, Response: { status_code: 0 } },
      Error: { Code: 0, Message: '' },
      URL: { Full: '' },
    },
  });
}
