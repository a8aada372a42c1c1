import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RedisServerHandle {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

const startTimeoutMs = 10_000;

/** The `redis-server` executable on PATH, or null. */
export function findRedisServer(): string | null {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true once the server answers PING on `port`, false if it does not (yet). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startOnce(executable: string, directory: string): Promise<RedisServerHandle | string> {
  const port = await freePort();
  const child = spawn(
    executable,
    ['--bind', '127.0.0.1', '--port', String(port), '--daemonize', 'no', '--save', '', '--appendonly', 'no', '--dir', directory],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // A test process that dies without afterAll must not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await answersPing(port)) {
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: async () => {
          process.off('exit', killOnExit);
          await stopChild(child);
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.off('exit', killOnExit);
  await stopChild(child);
  return `redis-server did not answer PING on port ${port}: ${output.trim() || '(no output)'}`;
}

/**
 * Starts a throwaway `redis-server` (no persistence) on a free local port.
 * Answers null, after printing why, when `redis-server` is not installed and `CI` is not set;
 * in CI a missing server is an error (`.ci/install-redis.sh` installs it).
 */
export async function startRedisServer(): Promise<RedisServerHandle | null> {
  const executable = findRedisServer();
  if (!executable) {
    const reason = 'redis-server is not on PATH (install it with `apt-get install -y redis-server` or run .ci/install-redis.sh)';
    if (process.env.CI) throw new Error(`${reason}; CI requires it`);
    console.warn(`redis tests skipped: ${reason}`);
    return null;
  }
  const directory = await mkdtemp(join(tmpdir(), 'hangar-redis-'));
  const failures: string[] = [];
  // A port picked as free can be taken before redis binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await startOnce(executable, directory);
    if (typeof started !== 'string') {
      return {
        url: started.url,
        stop: async () => {
          await started.stop();
          await rm(directory, { recursive: true, force: true });
        },
      };
    }
    failures.push(started);
  }
  await rm(directory, { recursive: true, force: true });
  throw new Error(`could not start redis-server:\n${failures.join('\n')}`);
}
