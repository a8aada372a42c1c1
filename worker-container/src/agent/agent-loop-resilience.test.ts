import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunEventBody } from '@hangar/protocol';
import { AnthropicProvider } from '../model/anthropic-provider';
import { anthropicErrorFrame, anthropicSse, anthropicSseFrames } from '../model/testing/anthropic-sse';
import { answerJson, startLocalModelServer, type LocalModelServer, type ReceivedRequest } from '../model/testing/local-model-server';
import { fileTools } from '../workspace/file-tools';
import type { BuilderTool } from '../workspace/tool';
import { runAgentLoop, type AgentLoopOptions } from './agent-loop';
import { modelRetryPolicyFromEnvironment } from './model-turn';
import { RecordingRunSink } from './run-sink';
import { ManualTimers } from './testing/manual-timers';

type Answer = (response: ServerResponse, request: ReceivedRequest) => void;

const sse =
  (body: string): Answer =>
  (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(body);
  };
const status =
  (code: number, type: string, message: string, headers: Record<string, string> = {}): Answer =>
  (response) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    answerJson(response, code, { type: 'error', error: { type, message } });
  };
/** Sends the first frames of a stream, then either keeps the connection open in silence or drops it. */
const partial =
  (frames: string[], after: 'stall' | 'drop', onClose?: () => void): Answer =>
  (response) => {
    if (onClose) response.on('close', onClose);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(frames.join(''), () => {
      if (after === 'drop') response.destroy();
    });
  };

const done = sse(anthropicSse({ text: 'All done.' }));

/** A tool that records its calls and changes nothing. */
const noteTool = (calls: unknown[]): BuilderTool<{ text: string }> => ({
  name: 'note',
  description: 'Takes a note.',
  input: z.strictObject({ text: z.string() }),
  execute: (input) => {
    calls.push(input);
    return Promise.resolve({ ok: true, output: 'Noted.', summary: 'Noted' });
  },
});

describe('agent loop against a fake Messages API: retries, silence, truncation, refusals', () => {
  let workspaceDir: string;
  let server: LocalModelServer | undefined;
  let answers: Answer[];
  let timers: ManualTimers;
  let sink: RecordingRunSink;

  beforeEach(() => {
    workspaceDir = mkdtempSync(join(tmpdir(), 'hangar-resilience-'));
    timers = new ManualTimers(0.5);
    sink = new RecordingRunSink();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(workspaceDir, { recursive: true, force: true });
  });

  async function loop(script: Answer[], overrides: Partial<AgentLoopOptions> = {}) {
    answers = script;
    server = await startLocalModelServer((request, response) => {
      const answer = answers[server!.requests.length - 1];
      if (!answer) answerJson(response, 500, { type: 'error', error: { type: 'api_error', message: 'script exhausted' } });
      else answer(response, request);
    });
    const signal = overrides.signal ?? new AbortController().signal;
    return runAgentLoop({
      provider: new AnthropicProvider({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 }),
      model: 'claude-sonnet-5-5',
      system: 'You build apps.',
      prompt: 'A tracker for leads',
      tools: [...fileTools] as BuilderTool<unknown>[],
      workspaceDir,
      sink,
      signal,
      timers,
      maxTokens: 1024,
      ...overrides,
    });
  }

  const retries = () => sink.events.filter((event): event is Extract<RunEventBody, { type: 'model.retrying' }> => event.type === 'model.retrying');
  /** Fires the retry waits the loop asks for, in order, as it asks for them. */
  async function fireRetries(delays: number[]): Promise<void> {
    for (const delay of delays) await timers.fire(delay);
  }

  it('honours retry-after on a 429 and shows the wait in the run stream', async () => {
    const run = loop([status(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '3' }), done]);
    await fireRetries([3000]);
    const outcome = await run;
    expect(outcome).toMatchObject({ status: 'succeeded', summary: 'All done.' });
    expect(retries()).toEqual([
      {
        type: 'model.retrying',
        attempt: 1,
        maxAttempts: 6,
        delayMs: 3000,
        reason: 'Anthropic is rate limiting requests (HTTP 429). It said: Number of request tokens has exceeded your per-minute rate limit.',
      },
    ]);
    expect(server?.requests).toHaveLength(2);
  });

  it('backs off exponentially with jitter on 529 and 5xx', async () => {
    const run = loop([status(529, 'overloaded_error', 'Overloaded'), status(500, 'api_error', 'Internal server error'), status(503, 'overloaded_error', 'Overloaded'), done]);
    // Base 2 s, doubling, half of each delay jittered (random() is 0.5 here): 1.5 s, 3 s, 6 s.
    await fireRetries([1500, 3000, 6000]);
    expect(await run).toMatchObject({ status: 'succeeded' });
    expect(retries().map((event) => [event.attempt, event.delayMs])).toEqual([
      [1, 1500],
      [2, 3000],
      [3, 6000],
    ]);
    expect(retries()[1]?.reason).toBe('Anthropic had a server error (HTTP 500). It said: Internal server error.');
  });

  it('retries an error event in the middle of the stream, and the retry answers in full', async () => {
    const frames = anthropicSseFrames({ text: 'Here is the plan for your tracker.' });
    const run = loop([sse(`${frames.slice(0, 4).join('')}${anthropicErrorFrame('overloaded_error', 'Overloaded')}`), done]);
    await fireRetries([1500]);
    expect(await run).toMatchObject({ status: 'succeeded', summary: 'All done.' });
    const types = sink.events.map((event) => event.type);
    // The partial text was streamed, then the retry was announced, then the full answer.
    expect(types.indexOf('model.retrying')).toBeGreaterThan(types.indexOf('text.delta'));
    expect(retries()[0]?.reason).toBe('Anthropic reported that it is overloaded, in the middle of the response. It said: Overloaded');
  });

  it('retries a dropped connection with a sentence, never "terminated"', async () => {
    const frames = anthropicSseFrames({ text: 'Starting on the tracker now.' });
    const run = loop([partial(frames.slice(0, 3), 'drop'), done]);
    await fireRetries([1500]);
    expect(await run).toMatchObject({ status: 'succeeded' });
    expect(retries()[0]?.reason).toBe('The connection to Anthropic dropped in the middle of the response.');
  });

  it('abandons a stream that goes silent for the idle interval and retries it', async () => {
    let abandoned!: () => void;
    const closed = new Promise<void>((resolve) => (abandoned = resolve));
    let wrote!: () => void;
    const sent = new Promise<void>((resolve) => (wrote = resolve));
    const frames = anthropicSseFrames({ text: 'Thinking about the fields.' });
    const stall: Answer = (response, request) => {
      partial(frames.slice(0, 3), 'stall', () => abandoned())(response, request);
      response.write('', () => wrote());
    };
    const run = loop([stall, done], { retryPolicy: { idleTimeoutMs: 45_000 } });
    // Fire the watchdog only once the server has sent what it will send (a sentinel, not a sleep).
    await sent;
    await timers.fire(45_000);
    await closed;
    await fireRetries([1500]);
    expect(await run).toMatchObject({ status: 'succeeded' });
    expect(retries()[0]?.reason).toBe('The model stream was silent for 45 s, so it was abandoned.');
  });

  it('does not retry a 400, and says why the run failed', async () => {
    const outcome = await loop([status(400, 'invalid_request_error', 'messages.1.content.0: unexpected tool_use_id')]);
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'The model call failed: Anthropic rejected the request (HTTP 400). It said: messages.1.content.0: unexpected tool_use_id.',
    });
    expect(retries()).toEqual([]);
    expect(timers.requested.filter((ms) => ms !== 60_000)).toEqual([]);
  });

  it('fails at once when retry-after asks for longer than the cap', async () => {
    const outcome = await loop([status(429, 'rate_limit_error', 'Rate limited', { 'retry-after': '600' })]);
    expect(outcome).toMatchObject({
      status: 'failed',
      reason:
        'Anthropic is rate limiting requests (HTTP 429). It said: Rate limited. It asked to wait 600 s before trying again, longer than the 120 s a run waits, so the run stopped.',
    });
    expect(retries()).toEqual([]);
  });

  it('gives up after the last attempt with the cause and how long it tried', async () => {
    const overloaded = status(529, 'overloaded_error', 'Overloaded');
    const run = loop([overloaded, overloaded, overloaded], { retryPolicy: { maxAttempts: 3 } });
    await fireRetries([1500, 3000]);
    expect(await run).toMatchObject({
      status: 'failed',
      reason: 'Anthropic is overloaded (HTTP 529). It said: Overloaded. The model call failed 3 times in a row over 5 s, so the run stopped.',
    });
  });

  it('stops during a retry wait when the run is stopped', async () => {
    const controller = new AbortController();
    const run = loop([status(529, 'overloaded_error', 'Overloaded')], { signal: controller.signal });
    await timers.nextSleep(1500);
    controller.abort();
    expect(await run).toMatchObject({ status: 'stopped' });
  });

  it('never runs a tool call cut off by max_tokens, never sends it back, and asks the model to redo it', async () => {
    const input = { path: 'src/App.tsx', content: 'export default function App() { return <main>Leads</main>; }\n' };
    const run = loop([
      sse(anthropicSse({ text: 'Writing the app.', tools: [{ id: 'toolu_cut', name: 'write_file', input, cutAfterInputJson: 40 }] })),
      sse(anthropicSse({ tools: [{ id: 'toolu_small', name: 'list_files', input: {} }] })),
      done,
    ]);
    const outcome = await run;
    expect(outcome).toMatchObject({ status: 'succeeded' });
    // The truncated write never ran: no file, no tool card.
    expect(existsSync(join(workspaceDir, 'src/App.tsx'))).toBe(false);
    expect(sink.events.filter((event) => event.type === 'tool.started').map((event) => event.name)).toEqual(['list_files']);
    // The second request holds no tool_use for the cut call, and tells the model what happened.
    const second = server!.requests[1]?.body as { messages: { role: string; content: { type: string; text?: string; id?: string }[] }[] };
    const blocks = second.messages.flatMap((message) => message.content);
    expect(blocks.some((block) => block.type === 'tool_use')).toBe(false);
    expect(second.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(second.messages[1]?.content).toEqual([{ type: 'text', text: 'Writing the app.' }]);
    expect(second.messages[2]?.content.at(-1)?.text).toContain('cut off at the output limit of 1024 tokens while you were writing the input of a write_file call');
  });

  it('fails after three responses in a row cut off inside a tool call', async () => {
    const calls: unknown[] = [];
    const cut = sse(anthropicSse({ tools: [{ id: 'toolu_cut', name: 'note', input: { text: 'a very long note' }, cutAfterInputJson: 10 }] }));
    const outcome = await loop([cut, cut, cut, cut], { tools: [noteTool(calls)] as BuilderTool<unknown>[] });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: "The model's responses were cut off at the output limit of 1024 tokens 4 times in a row while calling note, so the run stopped.",
    });
    expect(calls).toEqual([]);
    // Consecutive notes go into one user message: the conversation still alternates.
    const last = server!.requests.at(-1)?.body as { messages: { role: string }[] };
    expect(last.messages.map((message) => message.role)).toEqual(['user']);
  });

  it('does not report a text answer cut off by max_tokens as a success', async () => {
    const outcome = await loop([sse(anthropicSse({ text: 'Here is a long explanation that never', stopReason: 'max_tokens' }))]);
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: "The model's answer was cut off at its output limit of 1024 tokens before it finished, so the run did not complete.",
    });
  });

  it('does not report a refusal as a success', async () => {
    const outcome = await loop([sse(anthropicSse({ text: 'I can’t help with that.', stopReason: 'refusal' }))]);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'The model declined to continue with this request. It said: I can’t help with that.' });
  });

  it('reads the silence interval from the worker environment', () => {
    expect(modelRetryPolicyFromEnvironment({ HANGAR_MODEL_STREAM_IDLE_MS: '90000' })).toEqual({ idleTimeoutMs: 90_000 });
    expect(modelRetryPolicyFromEnvironment({ HANGAR_MODEL_STREAM_IDLE_MS: 'soon' })).toEqual({});
    expect(modelRetryPolicyFromEnvironment({})).toEqual({});
  });
});
