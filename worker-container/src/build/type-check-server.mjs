/**
 * The warm type checker: one long-lived process per app for the life of a run, started by
 * warm-type-check.ts inside the same build sandbox as a one-shot `tsc` (read-only workspace, no
 * writable directory at all). It is passed to `node -e` as text, so the sandbox needs no file
 * of the worker's.
 *
 * Protocol: one JSON line per request on stdin (`{"id":1}`), one JSON line per answer on stdout
 * (`{"id":1,"exitCode":0,"output":"…"}`, or `{"id":1,"problem":"…"}` when it could not check).
 * `{"warmUp":true}` parses and checks while nothing waits, gives way to the next request, and
 * says `{"warmedUp":true}` when it stopped. It exits when stdin closes (the worker is gone).
 *
 * Each check does what `tsc --noEmit -p tsconfig.json --pretty false --incremental false` does
 * (same configuration, same diagnostics in the same order, formatted the same way), but keeps
 * between checks, in memory only: the parsed source files that did not change and the semantic
 * builder program, so only files affected by a change are checked again. A workspace file is
 * unchanged when its text is (compared in full, never by timestamp: the model writes them). A
 * file under node_modules, which only npm changes and never without a new ctime (which no
 * process can set), is unchanged when its device, inode, size, mtime and ctime are: reading the
 * declaration files again (lib.dom.d.ts alone is 1.7 MB) to compare them took half of each new
 * program. Module resolution, the configuration and the file list are computed afresh every
 * time. It runs no code from the workspace: TypeScript only reads files.
 *
 * argv: [typescript.js path]; cwd: the workspace.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { setImmediate } from 'node:timers';

const typescriptPath = process.argv[1];
const ts = createRequire(typescriptPath)(typescriptPath);
const workspace = process.cwd();
const configPath = ts.sys.resolvePath('tsconfig.json');
/** The command line the one-shot check uses, as compiler options. */
const commandLineOptions = { noEmit: true, pretty: false, incremental: false };

/** path + parse options → { text, identity?, sourceFile }: a file parses again only when it changed. */
let sourceFiles = new Map();
let builder;
let optionsKey = '';

const hash = (text) => createHash('sha256').update(text).digest('hex');

/** A dependency's file: installed by npm, never written by the model or a build. */
const isDependencyFile = (fileName) => fileName.includes('/node_modules/');

/** Who a file is on disk right now, or undefined when it cannot be told. */
function fileIdentity(fileName) {
  try {
    const stats = statSync(fileName, { bigint: true });
    return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
  } catch {
    return undefined;
  }
}

function compilerHost(options) {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const parse = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const key = `${fileName}\0${parse.languageVersion}\0${parse.impliedNodeFormat ?? ''}\0${parse.jsDocParsingMode ?? ''}`;
    // Taken before the read: a file that changes while it is read differs from it next time.
    const identity = isDependencyFile(fileName) ? fileIdentity(fileName) : undefined;
    if (identity !== undefined && !shouldCreateNewSourceFile) {
      const known = sourceFiles.get(key);
      if (known && known.identity === identity) return known.sourceFile;
    }
    const text = host.readFile(fileName);
    if (text === undefined) {
      sourceFiles.delete(key);
      return read(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    }
    const cached = sourceFiles.get(key);
    if (cached && cached.text === text && !shouldCreateNewSourceFile) {
      cached.identity = identity;
      return cached.sourceFile;
    }
    const sourceFile = ts.createSourceFile(fileName, text, languageVersionOrOptions, false);
    // The builder compares versions to find what changed: the text's hash, as tsc --incremental does.
    sourceFile.version = hash(text);
    sourceFiles.set(key, { text, identity, sourceFile });
    return sourceFile;
  };
  host.createHash = hash;
  return host;
}

/**
 * A builder program for the workspace as it is now (a new program: modules resolved afresh, so a
 * package installed since is found; the builder reuses what it knows of files whose text and
 * references did not change), or the configuration's problems.
 */
function currentBuilder() {
  const configProblems = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, commandLineOptions, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => configProblems.push(diagnostic),
  });
  if (!parsed) return { configProblems };
  // Different options: nothing from earlier checks carries over.
  const key = JSON.stringify(parsed.options);
  if (key !== optionsKey) {
    optionsKey = key;
    sourceFiles = new Map();
    builder = undefined;
  }
  const host = compilerHost(parsed.options);
  const configDiagnostics = ts.getConfigFileParsingDiagnostics(parsed);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host,
    configFileParsingDiagnostics: configDiagnostics,
  });
  builder = ts.createSemanticDiagnosticsBuilderProgram(program, host, builder, configDiagnostics);
  return { builder };
}

const formatHost = { getCurrentDirectory: () => workspace, getNewLine: () => ts.sys.newLine, getCanonicalFileName: (name) => name };

/** One check: tsc's output text and exit code for the workspace as it is now. */
function check() {
  const current = currentBuilder();
  if (!current.builder) {
    return { exitCode: 1, output: current.configProblems.map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost)).join('') };
  }
  const checked = current.builder;
  // The order and the stages of tsc's own report (emitFilesAndReportErrors).
  const all = [...checked.getConfigFileParsingDiagnostics()];
  const configCount = all.length;
  all.push(...checked.getSyntacticDiagnostics());
  if (all.length === configCount) {
    all.push(...checked.getOptionsDiagnostics());
    all.push(...checked.getGlobalDiagnostics());
    if (all.length === configCount) all.push(...checked.getSemanticDiagnostics());
  }
  const diagnostics = ts.sortAndDeduplicateDiagnostics(all);
  const output = diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost)).join('');
  return { exitCode: diagnostics.length > 0 ? 1 : 0, output };
}

const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A warm-up while no build waits: parse, bind, then check file by file, yielding between files
 * and stopping as soon as a request is waiting (the check then reuses what was done). Once all is
 * checked, one more pass over the workspace's own files on a throwaway program, for the JIT: every
 * check has a new program and so a new checker, whose code starts with no type feedback of its
 * own, and the first checks after a warm-up of one checker were measured ~1.6× slower than later
 * ones (a one-file follow-up: 720 ms, then 440 ms after this pass). The pass leaves the builder
 * and its answers as they were; it only shares the parsed files.
 */
async function warmUp(requestWaiting) {
  const current = currentBuilder();
  if (!current.builder) return;
  current.builder.getSyntacticDiagnostics();
  current.builder.getGlobalDiagnostics();
  for (;;) {
    await yieldToRequests();
    if (requestWaiting()) return;
    if (!current.builder.getSemanticDiagnosticsOfNextAffectedFile()) break;
  }
  const previous = current.builder.getProgram();
  const throwaway = ts.createProgram({
    rootNames: previous.getRootFileNames(),
    options: previous.getCompilerOptions(),
    host: compilerHost(previous.getCompilerOptions()),
  });
  for (const sourceFile of throwaway.getSourceFiles()) {
    if (throwaway.isSourceFileFromExternalLibrary(sourceFile) || throwaway.isSourceFileDefaultLibrary(sourceFile)) continue;
    await yieldToRequests();
    if (requestWaiting()) return;
    throwaway.getSemanticDiagnostics(sourceFile);
  }
}

const requests = [];
let draining = false;
async function drain() {
  if (draining) return;
  draining = true;
  while (requests.length > 0) {
    const line = requests.shift();
    let id = null;
    try {
      const request = JSON.parse(line);
      if (request.warmUp === true) {
        await warmUp(() => requests.length > 0).finally(() => process.stdout.write(`${JSON.stringify({ warmedUp: true })}\n`));
        continue;
      }
      id = request.id;
      process.stdout.write(`${JSON.stringify({ id, ...check() })}\n`);
    } catch (error) {
      builder = undefined;
      sourceFiles = new Map();
      if (id !== null) process.stdout.write(`${JSON.stringify({ id, problem: error instanceof Error ? error.message : String(error) })}\n`);
    }
  }
  draining = false;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  requests.push(line);
  void drain();
});
lines.on('close', () => process.exit(0));
