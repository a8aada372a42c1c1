import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStatus, terminalRunStatuses } from '@hangar/protocol';
import { createMemoryRunEventLog } from '../adapters/memory-run-event-log';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import type { DocumentStore } from '../ports/document-store';
import type { RunEventLog } from '../ports/run-event-log';
import type { HangarError } from './errors';
import type { AppRecord, RunRecord } from './records';
import {
  canTransition,
  isActive,
  RunLifecycle,
  runTransitions,
  RunTransitionConflictError,
  type RunTransition,
  zeroUsage,
} from './run-lifecycle';

const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

function runRecord(id: string, status: RunStatus): RunRecord {
  return {
    _id: id,
    workspaceId: 'wsp_1',
    appId: 'app_1',
    status,
    prompt: 'p',
    createdBy: 'usr_1',
    createdAt: clock.now().toISOString(),
    startedAt: null,
    finishedAt: null,
    heartbeatAt: null,
    failureReason: null,
    provider: null,
    model: null,
    plan: null,
    usage: zeroUsage,
    versionId: null,
    retryOf: null,
  };
}

const app: AppRecord = {
  _id: 'app_1',
  workspaceId: 'wsp_1',
  name: 'A',
  createdBy: 'usr_1',
  createdAt: clock.now().toISOString(),
  updatedAt: clock.now().toISOString(),
  latestVersionId: null,
  latestRunId: null,
  latestRunStatus: null,
};

describe('RunLifecycle', () => {
  let store: DocumentStore;
  let events: RunEventLog;
  let lifecycle: RunLifecycle;

  beforeEach(async () => {
    store = createSqliteDocumentStore({ filename: ':memory:' });
    events = createMemoryRunEventLog({ clock });
    lifecycle = new RunLifecycle(store, events, clock);
    await lifecycle.apps().insertOne(app);
  });
  afterEach(async () => {
    await store.close();
  });

  it('allows each named transition exactly from the source states in its table', async () => {
    const names = Object.keys(runTransitions) as RunTransition[];
    for (const transition of names) {
      for (const status of RunStatus.options) {
        const id = `run_${transition}_${status}`;
        await lifecycle.runs().insertOne(runRecord(id, status));
        const attempt = lifecycle.transition(id, transition);
        if (canTransition(status, transition)) {
          expect((await attempt).status).toBe(runTransitions[transition].to);
        } else {
          const error = await attempt.then(
            () => null,
            (thrown: unknown) => thrown,
          );
          expect(error, `${transition} from ${status}`).toBeInstanceOf(RunTransitionConflictError);
          expect((error as HangarError).status).toBe(409);
          expect((await lifecycle.get(id)).status).toBe(status);
        }
      }
    }
    // No way out of a terminal state; every active state can fail and be stopped.
    for (const status of terminalRunStatuses) for (const name of names) expect(canTransition(status, name)).toBe(false);
    for (const status of RunStatus.options.filter(isActive)) {
      expect(canTransition(status, 'fail')).toBe(true);
      expect(canTransition(status, 'stop')).toBe(true);
    }
    expect(RunStatus.options.filter(isActive)).toEqual(['queued', 'running', 'awaiting_approval']);
  });

  it('says why a plan decision is refused, with the status and the allowed sources', async () => {
    await lifecycle.runs().insertOne(runRecord('run_q', 'queued'));
    const error = await lifecycle.transition('run_q', 'decidePlan').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RunTransitionConflictError);
    const conflict = error as RunTransitionConflictError;
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toMatch(/not awaiting approval/);
    expect(conflict.details).toEqual({ status: 'queued', transition: 'decidePlan', allowedFrom: ['awaiting_approval'] });
    expect(await events.read('run_q', { limit: 10 })).toEqual([]);
  });

  it('lets one of two concurrent transitions win and appends one event', async () => {
    await lifecycle.runs().insertOne(runRecord('run_r', 'running'));
    const results = await Promise.allSettled([
      lifecycle.transition('run_r', 'stop', {}, { type: 'run.stopped', by: 'a' }),
      lifecycle.transition('run_r', 'fail', { failureReason: 'x' }, { type: 'run.failed', reason: 'x', retryable: true }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(RunTransitionConflictError);
    expect(await events.read('run_r', { limit: 10 })).toHaveLength(1);
  });

  it('claims an app for one run only, even when many claims race', async () => {
    const claims = await Promise.all(Array.from({ length: 8 }, (_, index) => lifecycle.claimApp('app_1', `run_c${index}`, 'now')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = `run_c${claims.indexOf(true)}`;
    expect(await lifecycle.apps().findOne({ _id: 'app_1' })).toMatchObject({ latestRunId: winner, latestRunStatus: 'queued' });
  });

  it('repairs a summary left active by a run that ended, then claims', async () => {
    await lifecycle.runs().insertOne(runRecord('run_done', 'succeeded'));
    await lifecycle.apps().updateOne({ _id: 'app_1' }, { $set: { latestRunId: 'run_done', latestRunStatus: 'running' } });
    expect(await lifecycle.claimApp('app_1', 'run_next', 'now')).toBe(true);
    // A truly active run keeps the app.
    await lifecycle.runs().insertOne(runRecord('run_next', 'running'));
    expect(await lifecycle.claimApp('app_1', 'run_third', 'now')).toBe(false);
    await lifecycle.releaseApp('app_1', 'run_next', { latestRunId: 'run_done', latestRunStatus: 'succeeded' });
    expect(await lifecycle.apps().findOne({ _id: 'app_1' })).toMatchObject({ latestRunId: 'run_done', latestRunStatus: 'succeeded' });
  });
});
