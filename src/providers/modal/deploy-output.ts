// What `modal deploy` prints, read back: whether it changed anything, which app it deployed and
// the functions it created (py/modal/runner.py `_deploy_app`, py/modal/_output/status.py):
//   ✓ Created objects.
//   ├── 🔨 Created function worker.
//   └── 🔨 Created web function web => https://acme--shop-web.modal.run
//   ✓ App deployed in 3.214s! 🎉            (or: Deployment skipped: no changes detected! ⏭️)
//   View Deployment: https://modal.com/apps/acme/main/deployed/shop
// Older clients print `Created web => URL` / `Created worker.` and `App deployed! 🎉`.

export interface DeployOutput {
  noop: boolean;
  deployed: boolean;
  /** The app's name, from the last segment of the View Deployment URL. */
  app: string | null;
  functions: string[];
  urls: Record<string, string>;
  /** Modal's own summary line (`App deployed in 3.214s! 🎉`). */
  summary: string | null;
}

const created = /Created (?:web function |function )?([A-Za-z0-9_.*-]+?)\.?(?: => (\S+))?$/;

export function readDeployOutput(output: string): DeployOutput {
  const result: DeployOutput = {
    noop: false,
    deployed: false,
    app: null,
    functions: [],
    urls: {},
    summary: null,
  };
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (/Deployment skipped: no changes detected/.test(line)) {
      result.noop = true;
      result.summary = line.replace(/^✓\s*/, '');
    } else if (/App deployed( in [\d.]+s)?!/.test(line)) {
      result.deployed = true;
      result.summary = line.replace(/^✓\s*/, '');
    }
    const view = /View Deployment: (\S+)/.exec(line);
    if (view) result.app = view[1]!.replace(/\/+$/, '').split('/').pop() ?? null;
    const fn = line.includes('🔨') ? created.exec(line) : null;
    if (fn && fn[1] !== 'objects' && !result.functions.includes(fn[1]!)) {
      result.functions.push(fn[1]!);
      if (fn[2] !== undefined) result.urls[fn[1]!] = fn[2];
    }
  }
  return result;
}

/** The name in `modal.App("shop")` / `App(name="shop")`, read from the file before deploying. */
export function appNameInSource(source: string): string | null {
  const m = /\bApp\(\s*(?:name\s*=\s*)?["']([A-Za-z0-9_.-]+)["']/.exec(source);
  return m ? m[1]! : null;
}
