import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses an outbound tool call may connect to. Only public unicast addresses pass:
 * private, loopback, link-local (cloud metadata), CGNAT, multicast, documentation, benchmarking
 * and reserved ranges are refused, and so are the IPv6 forms that embed one of them
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4).
 */

interface Range {
  base: number[];
  prefix: number;
  label: string;
}

const v4 = (text: string): number[] => text.split('.').map(Number);
const blockedV4: Range[] = [
  { base: v4('0.0.0.0'), prefix: 8, label: 'this-network' },
  { base: v4('10.0.0.0'), prefix: 8, label: 'private' },
  { base: v4('100.64.0.0'), prefix: 10, label: 'carrier-grade NAT' },
  { base: v4('127.0.0.0'), prefix: 8, label: 'loopback' },
  { base: v4('169.254.0.0'), prefix: 16, label: 'link-local (cloud metadata)' },
  { base: v4('172.16.0.0'), prefix: 12, label: 'private' },
  { base: v4('192.0.0.0'), prefix: 24, label: 'IETF protocol assignments' },
  { base: v4('192.0.2.0'), prefix: 24, label: 'documentation' },
  { base: v4('192.88.99.0'), prefix: 24, label: '6to4 relay' },
  { base: v4('192.168.0.0'), prefix: 16, label: 'private' },
  { base: v4('198.18.0.0'), prefix: 15, label: 'benchmarking' },
  { base: v4('198.51.100.0'), prefix: 24, label: 'documentation' },
  { base: v4('203.0.113.0'), prefix: 24, label: 'documentation' },
  { base: v4('224.0.0.0'), prefix: 4, label: 'multicast' },
  { base: v4('240.0.0.0'), prefix: 4, label: 'reserved' },
];

/** Parses an IPv6 address (with an optional trailing dotted IPv4) into 16 bytes. */
export function ipv6Bytes(address: string): number[] | null {
  const text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(text)) return null;
  let head = text;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    tail.push(...v4(dotted[1]));
    head = text.slice(0, -dotted[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left = '', right] = head.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const leftGroups = groups(left);
  const rightGroups = right === undefined ? [] : groups(right);
  const missing = 8 - tail.length / 2 - leftGroups.length - rightGroups.length;
  if (missing < 0 || (right === undefined && missing !== 0)) return null;
  const all = [...leftGroups, ...new Array<number>(missing).fill(0), ...rightGroups];
  const bytes = all.flatMap((group) => [(group >> 8) & 0xff, group & 0xff]);
  return [...bytes, ...tail];
}

function inRange(bytes: number[], base: number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[index] ?? 0) & mask) !== ((base[index] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyV4(bytes: number[]): string | null {
  for (const range of blockedV4) if (inRange(bytes, range.base, range.prefix)) return range.label;
  if (bytes.every((byte) => byte === 255)) return 'broadcast';
  return null;
}

const hex = (text: string) => (ipv6Bytes(text) ?? []).slice();
const blockedV6: Range[] = [
  { base: hex('::'), prefix: 128, label: 'unspecified' },
  { base: hex('::1'), prefix: 128, label: 'loopback' },
  { base: hex('100::'), prefix: 64, label: 'discard' },
  { base: hex('2001:db8::'), prefix: 32, label: 'documentation' },
  { base: hex('2001::'), prefix: 23, label: 'IETF protocol assignments' },
  { base: hex('fc00::'), prefix: 7, label: 'unique local (private)' },
  { base: hex('fe80::'), prefix: 10, label: 'link-local' },
  { base: hex('fec0::'), prefix: 10, label: 'site-local' },
  { base: hex('ff00::'), prefix: 8, label: 'multicast' },
];

function classifyV6(bytes: number[]): string | null {
  // Forms that carry an IPv4 address: judge the address they carry.
  const embedded: [number[], number, (b: number[]) => number[]][] = [
    [hex('::ffff:0:0'), 96, (b) => b.slice(12)], // IPv4-mapped
    [hex('::'), 96, (b) => b.slice(12)], // IPv4-compatible (deprecated)
    [hex('64:ff9b::'), 96, (b) => b.slice(12)], // NAT64 well-known prefix
    [hex('64:ff9b:1::'), 48, (b) => b.slice(12)], // NAT64 local-use prefix
    [hex('2002::'), 16, (b) => b.slice(2, 6)], // 6to4
  ];
  for (const range of blockedV6.slice(0, 2)) if (inRange(bytes, range.base, range.prefix)) return range.label;
  for (const [base, prefix, extract] of embedded) {
    if (inRange(bytes, base, prefix)) {
      const inner = classifyV4(extract(bytes));
      return inner ? `${inner} (inside an IPv6 address)` : null;
    }
  }
  for (const range of blockedV6) if (inRange(bytes, range.base, range.prefix)) return range.label;
  return null;
}

/** Why an address may not be connected to, or null when it is a public unicast address. */
export function refusedAddressReason(address: string): string | null {
  if (isIPv4(address)) return classifyV4(v4(address));
  const bytes = ipv6Bytes(address);
  if (!bytes) return 'not an IP address';
  return classifyV6(bytes);
}
