/**
 * Environments for the processes the worker starts. The build (tsc, vite) runs model-written
 * code, so it gets an allowlist: nothing of the worker's own environment (model key, run token,
 * control-plane URL, cloud credentials) reaches it. npm gets the worker's environment minus every
 * secret-looking and platform variable: it needs HOME, its cache and its config, and runs no
 * package scripts (`--ignore-scripts`).
 */

/** What a build process sees besides the caller's extra variables (`VITE_HANGAR_APP_NAME`, …). */
export const buildBaseEnvironment: Readonly<Record<string, string>> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/tmp',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  // Browserslist and friends would otherwise try to reach the network or warn about old data.
  BROWSERSLIST_IGNORE_OLD_DATA: '1',
};

/** Variables never passed to a child process: platform settings, credentials, anything secret-looking. */
export function isSecretVariable(name: string): boolean {
  return (
    /^(HANGAR_|AWS_|ANTHROPIC_|OPENAI_|AZURE_|GOOGLE_|ECS_CONTAINER_METADATA|npm_|INIT_CWD$|VITEST|NODE_OPTIONS$)/i.test(name) ||
    /(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SESSION)/i.test(name)
  );
}

/**
 * The whole environment of a build step: the fixed base plus `extra`. An extra variable that looks
 * like a secret or a platform setting is refused, so no caller can hand the build a credential.
 */
export function buildEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  for (const name of Object.keys(extra)) {
    if (isSecretVariable(name)) throw new Error(`Refusing to pass ${name} to a build: builds get no platform or secret variables.`);
  }
  return { ...buildBaseEnvironment, ...extra };
}

/** The worker's environment without secrets and platform variables, for npm (no scripts run). */
export function scrubbedEnvironment(source: NodeJS.ProcessEnv = process.env, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || isSecretVariable(name) || /^(NODE_ENV|TEST)$/i.test(name)) continue;
    environment[name] = value;
  }
  return { ...environment, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}
