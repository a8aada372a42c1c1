import { RunEvent, type RunEventBody } from '@hangar/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidEventIdError, type RunEventLog, type RunEventSubscription, type StoredRunEvent } from './run-event-log';

export interface RunEventLogFixture {
  log: RunEventLog;
  cleanup: () => Promise<void>;
}

/** Pulls `count` events from a subscription (awaits them; no timing assumptions). */
export async function takeRunEvents(subscription: RunEventSubscription, count: number): Promise<StoredRunEvent[]> {
  const events: StoredRunEvent[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  while (events.length < count) {
    const result = await iterator.next();
    if (result.done) break;
    events.push(result.value);
  }
  return events;
}

const delta = (index: number): RunEventBody => ({ type: 'text.delta', text: `chunk ${index}` });
const texts = (events: StoredRunEvent[]) =>
  events.map((stored) => (stored.event.type === 'text.delta' ? stored.event.text : stored.event.type));
const ids = (events: StoredRunEvent[]) => events.map((stored) => stored.id);
const chunks = (from: number, to: number) => Array.from({ length: to - from }, (_, offset) => `chunk ${from + offset}`);

/** A syntactically wrong `after` for every adapter. */
const malformedIds = ['garbage', '', '1-2-3', ' 1', '../etc', '-1'];

/** The one contract every RunEventLog adapter passes. */
export function describeRunEventLogContract(adapterName: string, factory: () => Promise<RunEventLogFixture>) {
  describe(`RunEventLog contract: ${adapterName}`, () => {
    let fixture: RunEventLogFixture;
    let log: RunEventLog;
    let runCounter = 0;
    /** A fresh run id per use, so adapters that share a server never see another test's events. */
    const newRunId = () => `run_${adapterName.replace(/[^A-Za-z0-9]/g, '')}${Date.now().toString(36)}x${(runCounter += 1)}`;

    const appendAll = async (runId: string, from: number, to: number) => {
      const appended: StoredRunEvent[] = [];
      for (let index = from; index < to; index++) appended.push(await log.append(runId, delta(index)));
      return appended;
    };

    beforeEach(async () => {
      fixture = await factory();
      log = fixture.log;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('append and read', () => {
      it('returns valid run events with strictly increasing ids', async () => {
        const runId = newRunId();
        const started: RunEventBody = { type: 'run.started', workerId: 'w1', provider: 'offline', model: 'offline-1' };
        const first = await log.append(runId, started);
        expect(RunEvent.parse(first)).toEqual({ id: first.id, runId, time: first.time, event: started });
        const rest = await appendAll(runId, 0, 20);
        const all = [first, ...rest];
        for (let index = 1; index < all.length; index++) {
          const [previous, current] = [all[index - 1], all[index]] as [StoredRunEvent, StoredRunEvent];
          expect(log.compareIds(previous.id, current.id)).toBeLessThan(0);
          expect(log.compareIds(current.id, previous.id)).toBeGreaterThan(0);
          expect(log.compareIds(current.id, current.id)).toBe(0);
        }
        expect(new Set(ids(all)).size).toBe(all.length);
      });
      it('reads everything, after an id, and up to a limit', async () => {
        const runId = newRunId();
        const appended = await appendAll(runId, 0, 10);
        expect(await log.read(runId)).toEqual(appended);
        const fourth = appended[3] as StoredRunEvent;
        expect(texts(await log.read(runId, { after: fourth.id }))).toEqual(chunks(4, 10));
        expect(texts(await log.read(runId, { after: fourth.id, limit: 2 }))).toEqual(chunks(4, 6));
        expect(texts(await log.read(runId, { limit: 3 }))).toEqual(chunks(0, 3));
        expect(await log.read(runId, { after: (appended[9] as StoredRunEvent).id })).toEqual([]);
      });
      it('answers an empty list for a run without events', async () => {
        expect(await log.read(newRunId())).toEqual([]);
      });
      it('keeps runs apart', async () => {
        const [mine, theirs] = [newRunId(), newRunId()];
        await log.append(theirs, delta(100));
        await appendAll(mine, 0, 3);
        await log.append(theirs, delta(101));
        const read = await log.read(mine);
        expect(texts(read)).toEqual(chunks(0, 3));
        expect(read.every((stored) => stored.runId === mine)).toBe(true);
        const subscription = log.subscribe(mine);
        const received = await takeRunEvents(subscription, 3);
        await log.append(theirs, delta(102));
        await log.append(mine, delta(3));
        received.push(...(await takeRunEvents(subscription, 1)));
        await subscription.close();
        expect(texts(received)).toEqual(chunks(0, 4));
      });
      it('hands out copies: mutating a result changes nothing stored', async () => {
        const runId = newRunId();
        const body: RunEventBody = { type: 'text.delta', text: 'original' };
        const appended = await log.append(runId, body);
        body.text = 'changed by caller';
        if (appended.event.type === 'text.delta') appended.event.text = 'changed result';
        expect(texts(await log.read(runId))).toEqual(['original']);
      });
      it('pages through 2,000 events in order with the default limit of 1,000', async () => {
        const runId = newRunId();
        await appendAll(runId, 0, 2000);
        const firstPage = await log.read(runId);
        expect(firstPage).toHaveLength(1000);
        const secondPage = await log.read(runId, { after: (firstPage.at(-1) as StoredRunEvent).id, limit: 5000 });
        expect(texts([...firstPage, ...secondPage])).toEqual(chunks(0, 2000));
      });
    });

    describe('subscribe', () => {
      it('delivers the backlog, then live events', async () => {
        const runId = newRunId();
        await appendAll(runId, 0, 3);
        const subscription = log.subscribe(runId);
        const backlog = await takeRunEvents(subscription, 3);
        const live = takeRunEvents(subscription, 2);
        await appendAll(runId, 3, 5);
        const received = [...backlog, ...(await live)];
        await subscription.close();
        expect(texts(received)).toEqual(chunks(0, 5));
        expect(received).toEqual(await log.read(runId));
      });
      it('waits for a run that has no events yet', async () => {
        const runId = newRunId();
        const subscription = log.subscribe(runId);
        const pending = takeRunEvents(subscription, 2);
        await appendAll(runId, 0, 2);
        expect(texts(await pending)).toEqual(chunks(0, 2));
        await subscription.close();
      });
      it('resumes exactly after an id while events are appended concurrently', async () => {
        const runId = newRunId();
        const before = await appendAll(runId, 0, 50);
        const resumeAfter = (before[19] as StoredRunEvent).id;
        // The writer runs while the subscription reads its backlog and switches to live reading.
        const writing = appendAll(runId, 50, 300);
        const subscription = log.subscribe(runId, { after: resumeAfter });
        const received = await takeRunEvents(subscription, 280);
        await writing;
        await subscription.close();
        expect(texts(received)).toEqual(chunks(20, 300));
        expect(received).toEqual(await log.read(runId, { after: resumeAfter }));
      });
      it('gives two subscribers the same events', async () => {
        const runId = newRunId();
        await appendAll(runId, 0, 5);
        const [first, second] = [log.subscribe(runId), log.subscribe(runId)];
        const pending = Promise.all([takeRunEvents(first, 10), takeRunEvents(second, 10)]);
        await appendAll(runId, 5, 10);
        const [a, b] = await pending;
        await Promise.all([first.close(), second.close()]);
        expect(texts(a)).toEqual(chunks(0, 10));
        expect(b).toEqual(a);
      });
      it('streams 2,000 events in order, backlog and live', async () => {
        const runId = newRunId();
        await appendAll(runId, 0, 1000);
        const subscription = log.subscribe(runId);
        const pending = takeRunEvents(subscription, 2000);
        await appendAll(runId, 1000, 2000);
        const received = await pending;
        await subscription.close();
        expect(texts(received)).toEqual(chunks(0, 2000));
        for (let index = 1; index < received.length; index++) {
          expect(log.compareIds((received[index - 1] as StoredRunEvent).id, (received[index] as StoredRunEvent).id)).toBeLessThan(0);
        }
      });
      it('ends iteration when closed, also while waiting', async () => {
        const runId = newRunId();
        await appendAll(runId, 0, 1);
        const subscription = log.subscribe(runId);
        expect(texts(await takeRunEvents(subscription, 1))).toEqual(chunks(0, 1));
        const pending = takeRunEvents(subscription, 1);
        await subscription.close();
        expect(await pending).toEqual([]);
        expect(await takeRunEvents(subscription, 1)).toEqual([]);
      });
      it('closes the subscription when a for-await loop breaks', async () => {
        const runId = newRunId();
        await appendAll(runId, 0, 3);
        const subscription = log.subscribe(runId);
        const seen: string[] = [];
        for await (const stored of subscription) {
          seen.push(...texts([stored]));
          if (seen.length === 2) break;
        }
        expect(seen).toEqual(chunks(0, 2));
        expect(await takeRunEvents(subscription, 1)).toEqual([]);
      });
      it('ends open subscriptions when the log closes', async () => {
        const runId = newRunId();
        const subscription = log.subscribe(runId);
        const pending = takeRunEvents(subscription, 1);
        await log.close();
        expect(await pending).toEqual([]);
      });
    });

    describe('event ids', () => {
      for (const malformed of malformedIds) {
        it(`rejects the malformed id ${JSON.stringify(malformed)}`, async () => {
          const runId = newRunId();
          const [appended] = await appendAll(runId, 0, 1);
          await expect(log.read(runId, { after: malformed })).rejects.toBeInstanceOf(InvalidEventIdError);
          const subscription = log.subscribe(runId, { after: malformed });
          await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(InvalidEventIdError);
          await subscription.close();
          expect(() => log.compareIds(malformed, (appended as StoredRunEvent).id)).toThrow(InvalidEventIdError);
        });
      }
    });
  });
}
