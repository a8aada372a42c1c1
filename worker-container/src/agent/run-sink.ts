import type { PlanCard, RunEventBody } from '@hangar/protocol';

/** Where the agent loop reports: run events, plan decisions, the app's name. */
export interface RunSink {
  event(body: RunEventBody): Promise<void>;
  /** Proposes a plan and waits for the person's decision. */
  proposePlan(plan: PlanCard, signal: AbortSignal): Promise<{ decision: 'accepted' | 'amended'; note?: string }>;
  renameApp(name: string): Promise<void>;
}

/** A sink that records everything and accepts every plan: the test double of the port. */
export class RecordingRunSink implements RunSink {
  readonly events: RunEventBody[] = [];
  readonly plans: PlanCard[] = [];
  readonly names: string[] = [];
  constructor(
    private readonly decide: (plan: PlanCard) => { decision: 'accepted' | 'amended'; note?: string } = () => ({ decision: 'accepted' }),
  ) {}
  event(body: RunEventBody): Promise<void> {
    this.events.push(body);
    return Promise.resolve();
  }
  proposePlan(plan: PlanCard): Promise<{ decision: 'accepted' | 'amended'; note?: string }> {
    this.plans.push(plan);
    return Promise.resolve(this.decide(plan));
  }
  renameApp(name: string): Promise<void> {
    this.names.push(name);
    return Promise.resolve();
  }
}
