import { describe, expect, it } from 'vitest';
import { onceSuccessful } from './once-successful';

describe('cold-start memoization', () => {
  it('retries after a failed build and then keeps the successful one', async () => {
    let builds = 0;
    const get = onceSuccessful(() =>
      ++builds === 1 ? Promise.reject(new Error('database not reachable yet')) : Promise.resolve({ build: builds }),
    );
    await expect(get()).rejects.toThrow('database not reachable yet');
    expect(await get()).toEqual({ build: 2 });
    expect(await get()).toEqual({ build: 2 });
    expect(builds).toBe(2);
  });

  it('shares one build between concurrent first invocations', async () => {
    let builds = 0;
    const get = onceSuccessful(() => Promise.resolve(++builds));
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
  });
});
