/** Makes ids like `wsp_01HX...`: a prefix, then a time-ordered, random, url-safe body. */
export type IdGenerator = (prefix: string) => string;

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomLength = 16;

/**
 * Creates a generator of time-sortable ids (millisecond time + random, Crockford base32).
 * Ids from one generator are strictly increasing even within a millisecond, so `_id` order
 * is creation order.
 */
export function createSortableIdGenerator(now: () => number = Date.now): IdGenerator {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return (prefix) => {
    let time = Math.max(now(), lastTime);
    if (time === lastTime) {
      // Same millisecond: increment the previous random part (base 32, with carry).
      const next = [...lastRandom];
      let index = next.length - 1;
      while (index >= 0 && next[index] === 31) next[index--] = 0;
      if (index < 0) time += 1;
      else next[index] = (next[index] ?? 0) + 1;
      lastRandom = index < 0 ? freshRandom() : next;
    } else {
      lastRandom = freshRandom();
    }
    lastTime = time;
    let timePart = '';
    for (let i = 0, t = time; i < 10; i++, t = Math.floor(t / 32)) timePart = alphabet[t % 32] + timePart;
    return `${prefix}_${timePart}${lastRandom.map((digit) => alphabet[digit]).join('')}`;
  };
}

function freshRandom(): number[] {
  const bytes = new Uint8Array(randomLength);
  globalThis.crypto.getRandomValues(bytes);
  // Leave headroom in the first digit so increments within a millisecond rarely carry over.
  return Array.from(bytes, (byte, index) => (index === 0 ? byte % 16 : byte % 32));
}

export const sortableIdGenerator: IdGenerator = createSortableIdGenerator();
