// The demo's built-in load: a steady stream of requests to the app's proxy, so the screen has
// inputs to show. Bounded: it only ever targets the loopback proxy and stops with the demo.
import { Agent, get } from 'node:http';

export interface Load {
  stop(): void;
  readonly sent: number;
  readonly failed: number;
}

export function steadyLoad(url: string, perSecond: number): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let sent = 0;
  let failed = 0;
  const timer = setInterval(() => {
    sent++;
    const req = get(url, { agent }, (res) => {
      if ((res.statusCode ?? 500) >= 500) failed++;
      res.resume();
    });
    req.on('error', () => failed++);
  }, 1000 / perSecond);
  return {
    stop() {
      clearInterval(timer);
      agent.destroy();
    },
    get sent() {
      return sent;
    },
    get failed() {
      return failed;
    },
  };
}
