import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundError, type OutboundRequest } from '../../ports/outbound-http';
import { refusedAddressReason } from './address-policy';
import { createSafeHttpClient, type Resolver } from './safe-http-client';
import { startTestIntegrationServer, testIntegrationCa, type TestIntegrationServer } from './testing/test-integration-server';

let server: TestIntegrationServer;
beforeAll(async () => {
  server = await startTestIntegrationServer();
});
afterAll(() => server.close());

const loopbackOnly = { allowAddresses: (address: string) => address === '127.0.0.1', ca: testIntegrationCa };
const answers =
  (...addresses: string[]): Resolver =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) })));
const get = (url: string, domain = 'tools.hangar.test'): OutboundRequest => ({ method: 'GET', url, headers: {}, domain });
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
};

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['0.0.0.0', 'this-network'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique local (private)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback (inside an IPv6 address)'],
    ['::ffff:7f00:1', 'loopback (inside an IPv6 address)'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local (cloud metadata) (inside an IPv6 address)'],
    ['64:ff9b::10.0.0.1', 'private (inside an IPv6 address)'],
    ['64:ff9b::a00:1', 'private (inside an IPv6 address)'],
    ['2002:c0a8:0101::1', 'private (inside an IPv6 address)'],
    ['::127.0.0.1', 'loopback (inside an IPv6 address)'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusedAddressReason(address)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '64:ff9b::808:808', '::ffff:8.8.8.8'])(
    'allows public %s',
    (address) => {
      expect(refusedAddressReason(address)).toBeNull();
    },
  );

  it('refuses what is not an address at all', () => {
    expect(refusedAddressReason('localhost')).toBe('not an IP address');
  });
});

describe('safe outbound HTTP client', () => {
  it('calls an allowed host over HTTPS with the checked address', async () => {
    const client = createSafeHttpClient({ resolver: answers('127.0.0.1'), unsafeTestOverrides: loopbackOnly });
    const response = await client.request({
      ...get(`https://api.tools.hangar.test:${server.port}/v1/companies?name=Acme`),
      headers: { authorization: 'Bearer t' },
    });
    expect(response.status).toBe(200);
    expect(response.address).toBe('127.0.0.1');
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/v1/companies?name=Acme',
      headers: { authorization: 'Bearer t', host: `api.tools.hangar.test:${server.port}` },
    });
  });

  it('refuses loopback, private and metadata answers without the test override', async () => {
    for (const address of ['127.0.0.1', '10.0.0.5', '169.254.169.254', '::ffff:127.0.0.1', '64:ff9b::7f00:1']) {
      const client = createSafeHttpClient({ resolver: answers(address) });
      const before = server.requests.length;
      const error = await failure(client.request(get(`https://tools.hangar.test:${server.port}/`)));
      expect(error.category).toBe('policy');
      expect(error.message).toMatch(/resolves to a .* address, which tools may not call/);
      expect(server.requests.length).toBe(before);
    }
  });

  it('refuses localhost aliases and decimal or hex forms of loopback in the URL itself', async () => {
    const client = createSafeHttpClient({ resolver: answers('127.0.0.1') });
    for (const url of ['https://2130706433/', 'https://0x7f.0.0.1/', 'https://127.1/', 'https://[::ffff:7f00:1]/']) {
      const error = await failure(client.request(get(url, new URL(url).hostname.replace(/^\[|\]$/g, ''))));
      expect(error.category).toBe('policy');
    }
    expect((await failure(client.request(get('https://localhost/', 'tools.hangar.test')))).message).toMatch(/outside the declared domain/);
  });

  it('refuses a mixed DNS answer that hides a private address behind a public one', async () => {
    const client = createSafeHttpClient({ resolver: answers('93.184.216.34', '10.0.0.1') });
    expect((await failure(client.request(get('https://tools.hangar.test/')))).category).toBe('policy');
  });

  it('resolves once and connects to the checked address even when the DNS answer changes', async () => {
    let calls = 0;
    // First answer: the (test-allowed) integration. Any later lookup would point at a private address.
    const rebinding: Resolver = () => Promise.resolve([{ address: calls++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 }]);
    const client = createSafeHttpClient({ resolver: rebinding, unsafeTestOverrides: loopbackOnly });
    const before = server.requests.length;
    const response = await client.request(get(`https://tools.hangar.test:${server.port}/rebind`));
    expect(response.address).toBe('127.0.0.1');
    expect(calls).toBe(1);
    expect(server.requests.length).toBe(before + 1);
  });

  it('does not follow redirects', async () => {
    server.handle((_request, response) => {
      response.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' });
      response.end();
    });
    const client = createSafeHttpClient({ resolver: answers('127.0.0.1'), unsafeTestOverrides: loopbackOnly });
    const error = await failure(client.request(get(`https://tools.hangar.test:${server.port}/redirect`)));
    expect(error).toMatchObject({ category: 'policy', message: expect.stringMatching(/redirect \(302\)/) as string });
  });

  it('caps the response size', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('x'.repeat(64 * 1024));
    });
    const client = createSafeHttpClient({ resolver: answers('127.0.0.1'), unsafeTestOverrides: loopbackOnly, maxResponseBytes: 16 * 1024 });
    expect((await failure(client.request(get(`https://tools.hangar.test:${server.port}/big`)))).message).toMatch(/larger than 16384 bytes/);
  });

  it('times out a silent integration', async () => {
    server.handle(() => undefined);
    const client = createSafeHttpClient({ resolver: answers('127.0.0.1'), unsafeTestOverrides: loopbackOnly, timeoutMs: 100 });
    expect(await failure(client.request(get(`https://tools.hangar.test:${server.port}/silent`)))).toMatchObject({
      category: 'provider',
      retryable: true,
    });
  });

  it('refuses http:, credentials in the URL, and hosts off the declared domain', async () => {
    const client = createSafeHttpClient({ resolver: answers('127.0.0.1'), unsafeTestOverrides: loopbackOnly });
    expect((await failure(client.request(get('http://tools.hangar.test/')))).message).toBe('Tools call HTTPS URLs only.');
    expect((await failure(client.request(get('https://u:p@tools.hangar.test/')))).category).toBe('policy');
    expect((await failure(client.request(get('https://tools.hangar.test.evil.example/')))).message).toMatch(/outside the declared domain/);
  });

  it('does not trust a certificate it was not given', async () => {
    server.handle((_request, response) => response.end('{}'));
    const client = createSafeHttpClient({ resolver: answers('127.0.0.1'), unsafeTestOverrides: { allowAddresses: () => true } });
    expect((await failure(client.request(get(`https://tools.hangar.test:${server.port}/`)))).message).toMatch(/TLS certificate/);
  });
});
