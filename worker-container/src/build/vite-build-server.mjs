/**
 * A spare Vite build: a process started by warm-vite-build.ts in the build sandbox (the same one
 * as a cold `vite build`: workspace read-only, dist/ writable, Vite's scratch directories on a
 * tmpfs) before a build is asked for, so that the build does not pay for starting Node, loading
 * Vite and its plugins and compiling them. It is passed to `node -e` as text, so the sandbox
 * needs no file of the worker's.
 *
 * It is single-use: it runs exactly one build of the workspace and exits. While it waits it has
 * run no code of the app: the warm-up builds a fixed app of the platform's own (a virtual entry
 * and `@import "tailwindcss"`, nothing written), through the workspace's Vite and the platform's
 * vite.config.ts. The real build may run app code (a Tailwind `@plugin` of the app's), and
 * whatever that code leaves in memory ends with the process: no build can change a later one.
 *
 * Protocol: one JSON line on stdout when warm (`{"ready":true}`); one JSON line on stdin asking
 * for the build (`{"id":1,"env":{…}}`, the build's own variables); one JSON line back
 * (`{"id":1,"exitCode":0,"stdout":"…","stderr":"…"}`), then it exits. The build is what
 * `vite build --logLevel error` does (vite's own CLI: createBuilder, buildApp, the same error
 * report), and what it prints is what the CLI would print. It exits when stdin closes.
 *
 * argv: [vite's dist/node/index.js in the workspace]; cwd: the workspace.
 */
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';

const vite = await import(pathToFileURL(process.argv[1]).href);
const workspace = process.cwd();
const protocolWrite = process.stdout.write.bind(process.stdout);
const reply = (message) => new Promise((resolve) => protocolWrite(`${JSON.stringify(message)}\n`, resolve));

/** Output written while `work` runs, as the CLI's stdout and stderr would have it; nothing reaches the protocol. */
async function captured(work) {
  const output = { stdout: '', stderr: '' };
  const original = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream) =>
    function write(chunk, encoding, callback) {
      output[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') done();
      return true;
    };
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    await work();
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
  }
  return output;
}

// Warm-up: the platform's fixed app, in memory only. Its failure changes nothing (the real build reports its own).
const entry = '\0hangar-warm-up.tsx';
const stylesheet = '\0hangar-warm-up.css';
await captured(() =>
  vite
    .build({
      root: workspace,
      logLevel: 'silent',
      plugins: [
        {
          name: 'hangar:warm-up',
          enforce: 'pre',
          resolveId: (id) => (id === 'hangar:warm-up' ? entry : id === 'hangar:warm-up.css' ? stylesheet : null),
          load: (id) =>
            id === entry
              ? "import 'hangar:warm-up.css';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.body).render(<p className=\"p-4 text-sm font-medium\">Hangar</p>);\n"
              : id === stylesheet
                ? '@import "tailwindcss";\n'
                : null,
        },
      ],
      build: { write: false, emptyOutDir: false, rollupOptions: { input: 'hangar:warm-up' } },
    })
    .catch(() => undefined),
);
await reply({ ready: true });

const lines = createInterface({ input: process.stdin });
lines.once('line', async (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    await reply({ id: null, problem: 'not JSON' });
    process.exit(2);
  }
  for (const [name, value] of Object.entries(request.env ?? {})) process.env[name] = String(value);
  let exitCode = 0;
  const output = await captured(async () => {
    try {
      const builder = await vite.createBuilder({ logLevel: 'error', build: {} }, null);
      await builder.buildApp();
    } catch (error) {
      exitCode = 1;
      vite.createLogger('error').error(`error during build:\n${inspect(error)}`, { error });
    }
  });
  await reply({ id: request.id, exitCode, ...output });
  process.exit(0);
});
lines.on('close', () => process.exit(0));
