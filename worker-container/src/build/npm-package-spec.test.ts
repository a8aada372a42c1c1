import { describe, expect, it } from 'vitest';
import { dependencyRangeProblem, packageNameProblem, packageVersionProblem } from './npm-package-spec';

describe('packageNameProblem', () => {
  it.each([
    'react',
    'date-fns',
    'lodash.debounce',
    'chart.js',
    'react_dom2',
    '@tanstack/react-table',
    '@radix-ui/react-dialog',
    'a',
    'x'.repeat(214),
  ])('accepts %j', (name) => {
    expect(packageNameProblem(name)).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['x'.repeat(215), /214/],
    [' react', /spaces/],
    ['React', /lowercase/],
    ['.hidden', /start with/],
    ['_private', /start with/],
    ['-g', /start with/],
    ['--registry=https://evil.example', /start with/],
    ['fs', /core module/],
    ['node:fs', /URL-safe/],
    ['worker_threads', /core module/],
    ['child_process', /core module/],
    ['node_modules', /reserved/],
    ['favicon.ico', /reserved/],
    ['left pad', /URL-safe/],
    ['a/b', /URL-safe/],
    ['../evil', /start with/],
    ['file:../evil', /URL-safe/],
    ['git+https://github.com/x/y', /URL-safe/],
    ['pkg@1.0.0', /URL-safe/],
    ['react;rm -rf', /URL-safe/],
    ['héllo', /URL-safe/],
    ['crazy!', /~'!\(\)\*/],
    ['@scope', /@scope\/name/],
    ['@scope/', /@scope\/name/],
    ['@/name', /@scope\/name/],
    ['@scope/a/b', /@scope\/name/],
    ['@scope/.name', /start with/],
    ['@sc ope/name', /URL-safe/],
  ])('refuses %j', (name, problem) => {
    expect(packageNameProblem(name)).toMatch(problem);
  });
});

describe('packageVersionProblem', () => {
  it.each(['1.2.3', '^1.2.3', '0.0.1', '^0.7.1', '10.20.30', '1.0.0-beta.2', '^2.0.0-rc.1', '1.0.0+build.5'])('accepts %j', (version) => {
    expect(packageVersionProblem(version)).toBeNull();
  });

  it.each([
    '',
    'latest',
    'next',
    '*',
    '~1.2.3',
    '>=1.0.0',
    '1.2',
    '1',
    '1.x',
    'v1.2.3',
    '^^1.2.3',
    '01.2.3',
    '1.2.3 || 2.0.0',
    '1.2.3 -g',
    'file:../x',
    'github:a/b',
    '^1.2.3;',
  ])('refuses %j', (version) => {
    expect(packageVersionProblem(version)).toMatch(/not an exact version or a caret range/);
  });
});

describe('dependencyRangeProblem', () => {
  it.each(['^1.2.3', '~1.2.3', '1.2.3', '>=1.0.0 <2.0.0', '1.x', '*', 'latest', '^19.2.0', '~5.9.3', '1.2.3 - 2.0.0', '^1.0.0 || ^2.0.0', '2.0.0-rc.1'])(
    'accepts %j',
    (spec) => {
      expect(dependencyRangeProblem(spec)).toBeNull();
    },
  );

  it.each([
    'file:../..',
    'link:../x',
    'workspace:*',
    'npm:react@19',
    'github:user/repo',
    'user/repo',
    'git+https://github.com/user/repo.git',
    'https://example.com/x.tgz',
    '../..',
    '.',
    '~/pwn',
    '/etc',
    '^1.0.0 file:x',
    '',
  ])('refuses %j', (spec) => {
    expect(dependencyRangeProblem(spec)).toMatch(/not a registry version range/);
  });
});
