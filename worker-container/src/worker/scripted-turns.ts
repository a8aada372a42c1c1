import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ModelEvent, ModelProvider, ModelRequest } from '../model/model-provider';
import { ScriptedProvider, textTurn, toolCallTurn, type ScriptedTurn } from '../model/scripted-provider';

/**
 * A file of scripted model turns, keyed by the run's prompt, for integration tests of the real
 * worker process (`HANGAR_MODEL_PROVIDER=scripted`, `HANGAR_SCRIPTED_TURNS=<file>` on the
 * control plane, whose model gateway answers with it). A turn is text, tool calls, or `hang`
 * (waits until the call is aborted: the run stopped or the worker gone). `waitForFile` holds a
 * turn until that file exists: a sentinel the test creates, so a test can act (restart the
 * control plane) while the model is "thinking".
 */
const waitForFile = z.string().min(1).optional();
const Turn = z.union([
  z.strictObject({ text: z.string(), waitForFile }),
  z.strictObject({
    text: z.string().optional(),
    tools: z.array(z.strictObject({ name: z.string(), input: z.unknown() })).min(1),
    waitForFile,
  }),
  z.strictObject({ hang: z.literal(true) }),
]);
const ScriptFile = z.record(z.string(), z.array(Turn));
export type ScriptFile = z.infer<typeof ScriptFile>;

function hang(): ScriptedTurn {
  return (request) =>
    (async function* (): AsyncGenerator<ModelEvent> {
      await new Promise<void>((resolve) => request.signal?.addEventListener('abort', () => resolve(), { once: true }));
      yield* [];
    })();
}

/** Plays `events` once `file` exists (checked every 50 ms), or ends when the request is aborted. */
function afterFile(file: string, events: readonly ModelEvent[]): ScriptedTurn {
  return (request) =>
    (async function* (): AsyncGenerator<ModelEvent> {
      while (!existsSync(file)) {
        if (request.signal?.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      yield* events;
    })();
}

function toScriptedTurn(turn: z.infer<typeof Turn>, index: number): ScriptedTurn {
  if ('hang' in turn) return hang();
  const events =
    'tools' in turn
      ? toolCallTurn(
          turn.tools.map((call, position) => ({ id: `call_${index + 1}_${position + 1}`, ...call })),
          turn.text ? { text: turn.text } : {},
        )
      : textTurn(turn.text);
  return turn.waitForFile ? afterFile(turn.waitForFile, events) : events;
}

/**
 * The scripted provider for one run. Each call answers the turn numbered by the assistant
 * messages already in the conversation, so the provider keeps no state between the gateway's
 * calls and a retried call gets the same turn again.
 */
export function scriptedProviderFromFile(path: string, prompt: string): ModelProvider {
  const script = ScriptFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const turns = script[prompt] ?? script['*'];
  if (!turns) throw new Error(`No scripted turns for prompt "${prompt}"`);
  const scripted = turns.map(toScriptedTurn);
  return {
    name: 'scripted',
    stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      const index = request.messages.filter((message) => message.role === 'assistant').length;
      const turn = scripted[index];
      return new ScriptedProvider(turn ? [turn] : [], { name: 'scripted' }).stream(request);
    },
  };
}
