import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface FakeNpm {
  /** Pass as `npmCommand`. */
  command: string;
  /** The arguments of every call so far, with the directory it ran in. */
  calls(): Promise<Array<{ cwd: string; args: string[] }>>;
}

/**
 * A stand-in for npm that records its calls. On `install` it creates `node_modules/.bin` and a
 * package-lock.json after `delayMs`, then exits with `exitCode` (printing an npm-like error).
 */
export async function createFakeNpm(directory: string, options: { exitCode?: number; delayMs?: number } = {}): Promise<FakeNpm> {
  const command = path.join(directory, 'fake-npm.cjs');
  const logPath = path.join(directory, 'fake-npm.log');
  await writeFile(logPath, '');
  await writeFile(
    command,
    `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
fs.appendFileSync(${JSON.stringify(logPath)}, JSON.stringify({ cwd: process.cwd(), args: process.argv.slice(2) }) + '\\n');
setTimeout(() => {
  if (${options.exitCode ?? 0} !== 0) {
    console.error('npm error code E404\\nnpm error 404 Not Found - GET https://registry.npmjs.org/nope');
    process.exit(${options.exitCode ?? 0});
  }
  fs.mkdirSync(path.join(process.cwd(), 'node_modules', '.bin'), { recursive: true });
  fs.writeFileSync(path.join(process.cwd(), 'node_modules', '.package-lock.json'), '{}');
  fs.writeFileSync(path.join(process.cwd(), 'package-lock.json'), '{}');
  console.log('added 1 package in 1s');
}, ${options.delayMs ?? 0});
`,
  );
  await chmod(command, 0o755);
  return {
    command,
    calls: async () =>
      (await readFile(logPath, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { cwd: string; args: string[] }),
  };
}
