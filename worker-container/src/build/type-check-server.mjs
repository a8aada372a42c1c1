/**
 * The warm type checker: one long-lived process per app for the life of a run, started by
 * warm-type-check.ts inside the same build sandbox as a one-shot `tsc` (read-only workspace, no
 * writable directory at all). It is passed to `node -e` as text, so the sandbox needs no file
 * of the worker's.
 *
 * Protocol: one JSON line per request on stdin (`{"id":1}`), one JSON line per answer on stdout
 * (`{"id":1,"exitCode":0,"output":"…"}`, or `{"id":1,"problem":"…"}` when it could not check).
 * It exits when stdin closes (the worker is gone).
 *
 * Each check does what `tsc --noEmit -p tsconfig.json --pretty false --incremental false` does
 * (same configuration, same diagnostics in the same order, formatted the same way), but keeps
 * between checks, in memory only: the parsed source files whose text did not change (compared
 * in full, never by timestamp) and the semantic builder program, so only files affected by a
 * change are checked again. Module resolution, the configuration and the file list are
 * computed afresh every time. It runs no code from the workspace: TypeScript only reads files.
 *
 * argv: [typescript.js path]; cwd: the workspace.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import process from 'node:process';
import { createInterface } from 'node:readline';

const typescriptPath = process.argv[1];
const ts = createRequire(typescriptPath)(typescriptPath);
const workspace = process.cwd();
const configPath = ts.sys.resolvePath('tsconfig.json');
/** The command line the one-shot check uses, as compiler options. */
const commandLineOptions = { noEmit: true, pretty: false, incremental: false };

/** path + parse options → { text, sourceFile }: a file parses again only when its text changed. */
let sourceFiles = new Map();
let builder;
let optionsKey = '';

const hash = (text) => createHash('sha256').update(text).digest('hex');

function compilerHost(options) {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const parse = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const key = `${fileName}\0${parse.languageVersion}\0${parse.impliedNodeFormat ?? ''}\0${parse.jsDocParsingMode ?? ''}`;
    const text = host.readFile(fileName);
    if (text === undefined) {
      sourceFiles.delete(key);
      return read(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    }
    const cached = sourceFiles.get(key);
    if (cached && cached.text === text && !shouldCreateNewSourceFile) return cached.sourceFile;
    const sourceFile = ts.createSourceFile(fileName, text, languageVersionOrOptions, false);
    // The builder compares versions to find what changed: the text's hash, as tsc --incremental does.
    sourceFile.version = hash(text);
    sourceFiles.set(key, { text, sourceFile });
    return sourceFile;
  };
  host.createHash = hash;
  return host;
}

/** One check: tsc's output text and exit code for the workspace as it is now. */
function check() {
  const configProblems = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, commandLineOptions, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => configProblems.push(diagnostic),
  });
  const formatHost = { getCurrentDirectory: () => workspace, getNewLine: () => ts.sys.newLine, getCanonicalFileName: (name) => name };
  if (!parsed) {
    return { exitCode: 1, output: configProblems.map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost)).join('') };
  }
  // Different options: nothing from earlier checks carries over.
  const key = JSON.stringify(parsed.options);
  if (key !== optionsKey) {
    optionsKey = key;
    sourceFiles = new Map();
    builder = undefined;
  }
  const host = compilerHost(parsed.options);
  const configDiagnostics = ts.getConfigFileParsingDiagnostics(parsed);
  // A new program every time (modules resolved afresh: a package installed since is found); the
  // builder reuses what it knows of files whose text and references did not change.
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host,
    configFileParsingDiagnostics: configDiagnostics,
  });
  builder = ts.createSemanticDiagnosticsBuilderProgram(program, host, builder, configDiagnostics);

  // The order and the stages of tsc's own report (emitFilesAndReportErrors).
  const all = [...builder.getConfigFileParsingDiagnostics()];
  const configCount = all.length;
  all.push(...builder.getSyntacticDiagnostics());
  if (all.length === configCount) {
    all.push(...builder.getOptionsDiagnostics());
    all.push(...builder.getGlobalDiagnostics());
    if (all.length === configCount) all.push(...builder.getSemanticDiagnostics());
  }
  const diagnostics = ts.sortAndDeduplicateDiagnostics(all);
  const output = diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, formatHost)).join('');
  return { exitCode: diagnostics.length > 0 ? 1 : 0, output };
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let id = null;
  try {
    id = JSON.parse(line).id;
    process.stdout.write(`${JSON.stringify({ id, ...check() })}\n`);
  } catch (error) {
    builder = undefined;
    sourceFiles = new Map();
    process.stdout.write(`${JSON.stringify({ id, problem: error instanceof Error ? error.message : String(error) })}\n`);
  }
});
lines.on('close', () => process.exit(0));
