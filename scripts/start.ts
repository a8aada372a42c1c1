import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthMode, environmentVariables as env } from '@hangar/protocol';
import { DataDirInUseError } from '../functions/src/entrypoints/data-dir-lock';
import { startLocalHost, type LocalHost } from '../functions/src/entrypoints/local-host';
import { ensureConsoleBuilt } from './build-console';
import { dataDirFromEnvironment, repoRoot, webDistDir } from './paths';

/** `npm start`: builds what is not built, starts Hangar on embedded defaults, prints the URL. */
async function main() {
  // The SDK only talks to the local gateway here; its Node 20 notice is noise for local runs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  ensureConsoleBuilt();
  const dataDir = dataDirFromEnvironment();
  mkdirSync(dataDir, { recursive: true });
  const authMode = AuthMode.parse(process.env[env.authMode] ?? 'none');
  const issuer = process.env[env.oidcIssuer];
  const audience = process.env[env.oidcAudience];
  const jwksUri = process.env[env.oidcJwksUri];
  const common = {
    dataDir,
    webDistDir,
    builder: {
      repoRoot,
      templateDir: join(repoRoot, 'template'),
      workerEntry: join(repoRoot, 'worker-container', 'src', 'main.ts'),
      // A standby worker keeps a warm workspace for the next new app; HANGAR_STANDBY_WORKER=off saves its memory.
      standby: process.env[env.standbyWorker] !== 'off',
    },
    authMode,
    ...(issuer && audience ? { oidc: { issuer, audience, ...(jwksUri ? { jwksUri } : {}) } } : {}),
    ...(process.env[env.host] ? { host: process.env[env.host] } : {}),
    // Public origins (a reverse proxy, a LAN name) this host also answers for.
    publicOrigins:
      process.env[env.trustedOrigins]
        ?.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean) ?? [],
  };

  let host: LocalHost;
  const requested = process.env[env.port];
  if (requested) {
    host = await startLocalHost({ ...common, port: Number(requested) });
  } else {
    // A familiar default port, or any free one when it is taken; any other failure is reported as is.
    host = await startLocalHost({ ...common, port: 8787 }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      return startLocalHost({ ...common, port: 0 });
    });
  }

  const localFile = join(dataDir, 'local.json');
  writeFileSync(
    localFile,
    `${JSON.stringify({ url: host.url, pid: process.pid, authMode, dataDir, startedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  console.log('');
  console.log(`  Hangar is running at ${host.url}`);
  console.log(`  auth: ${authMode} · data: ${dataDir}`);
  console.log('  Press Ctrl+C to stop.');
  console.log('');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Hangar…`);
    host
      .close()
      .then(() => {
        rmSync(localFile, { force: true });
        console.log('Stopped cleanly.');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof DataDirInUseError) console.error(`\n  ${error.message}\n`);
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
    console.error(`\n  Port ${process.env[env.port] ?? ''} is in use. Pick another with PORT=…\n`);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
