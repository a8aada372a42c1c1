import { builtinModules } from 'node:module';

/** Names npm itself refuses, beyond Node's core modules. */
const reservedNames = new Set(['node_modules', 'favicon.ico']);
const coreModuleNames = new Set(builtinModules.flatMap((name) => [name, name.replace(/^node:/, '')]));

/**
 * Why `name` is not a valid name for a new npm package (npm's rules, as in
 * validate-npm-package-name), or null when it is. Also refuses a leading `-`, so a name can never
 * be read as a command-line option.
 */
export function packageNameProblem(name: string): string | null {
  if (name.length === 0) return 'the package name is empty';
  if (name.length > 214) return 'a package name may have at most 214 characters';
  if (name.trim() !== name) return 'a package name may not have leading or trailing spaces';
  if (name !== name.toLowerCase()) return 'a package name must be lowercase';
  if (/^[._-]/.test(name)) return 'a package name may not start with ".", "_" or "-"';
  if (/[~'!()*]/.test(name)) return "a package name may not contain ~'!()*";
  if (reservedNames.has(name)) return `"${name}" is a reserved name`;
  if (coreModuleNames.has(name)) return `"${name}" is a Node.js core module, not an npm package`;
  if (name.startsWith('@')) {
    const scoped = /^@([^/]+)\/([^/]+)$/.exec(name);
    if (!scoped) return 'a scoped package name must look like "@scope/name"';
    const [, scope = '', bare = ''] = scoped;
    if (/^[._-]/.test(bare) || /^[._-]/.test(scope)) return 'a scope or package name may not start with ".", "_" or "-"';
    if (encodeURIComponent(scope) !== scope || encodeURIComponent(bare) !== bare)
      return 'a package name may only contain URL-safe characters';
    return null;
  }
  if (encodeURIComponent(name) !== name) return 'a package name may only contain URL-safe characters (letters, digits, "-", ".", "_")';
  return null;
}

const numericIdentifier = '(?:0|[1-9]\\d*)';
const prereleaseIdentifier = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const semver = `${numericIdentifier}\\.${numericIdentifier}\\.${numericIdentifier}(?:-${prereleaseIdentifier}(?:\\.${prereleaseIdentifier})*)?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?`;
const versionPattern = new RegExp(`^\\^?${semver}$`);

/** Why `version` is not an exact semver version or a caret range (`1.2.3`, `^1.2.3`), or null. */
export function packageVersionProblem(version: string): string | null {
  if (version.length > 64) return 'the version is too long';
  if (!versionPattern.test(version)) {
    return `"${version}" is not an exact version or a caret range; use "1.2.3" or "^1.2.3", or leave the version out for the latest`;
  }
  return null;
}

/** One comparator of a semver range: an optional operator and a version with optional x/* parts. */
const part = '(?:0|[1-9]\\d*|[xX*])';
const comparator = `(?:[\\^~]|[<>]=?|=)?\\s*v?${part}(?:\\.${part}){0,2}(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?`;
const comparatorSet = `${comparator}(?:\\s+-\\s+${comparator}|(?:\\s+${comparator})*)`;
const rangePattern = new RegExp(`^\\s*(?:${comparatorSet}|\\*|latest)(?:\\s*\\|\\|\\s*(?:${comparatorSet}|\\*))*\\s*$`);

/**
 * Why `spec` (a value of package.json's dependencies) is not a semver range of the npm registry,
 * or null. Everything that resolves elsewhere is refused: `file:`, `link:`, `workspace:`, `npm:`
 * aliases, git URLs and `user/repo` shorthands, tarball URLs and paths (`../x`, `~/x`, `.`).
 */
export function dependencyRangeProblem(spec: string): string | null {
  if (spec.length > 128) return 'the version range is too long';
  if (!rangePattern.test(spec)) {
    return `"${spec}" is not a registry version range (paths, links, git, URLs, workspace: and npm: aliases are refused)`;
  }
  return null;
}
