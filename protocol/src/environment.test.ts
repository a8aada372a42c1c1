import { describe, expect, it } from 'vitest';
import { defaultRunStartAllowanceSeconds, environmentVariables as env, runStartAllowanceMs } from './environment';

describe('typed environment readers', () => {
  it('read the run start allowance in whole seconds, defaulting when unset', () => {
    expect(runStartAllowanceMs({})).toBe(defaultRunStartAllowanceSeconds * 1000);
    expect(runStartAllowanceMs({ [env.runStartAllowanceSeconds]: '' })).toBe(defaultRunStartAllowanceSeconds * 1000);
    expect(runStartAllowanceMs({ [env.runStartAllowanceSeconds]: '90' })).toBe(90_000);
    for (const bad of ['10', '3601', '1.5', 'soon', '-30'])
      expect(() => runStartAllowanceMs({ [env.runStartAllowanceSeconds]: bad })).toThrow(env.runStartAllowanceSeconds);
  });
});
