import type { AgentCapabilities } from '@hangar/protocol';
import { CircleCheck, CircleMinus, ShieldAlert, ShieldCheck } from 'lucide-react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { cn } from '../../lib/utils';
import { capabilityClasses, ruleOfTwoSummary } from './capability-words';

type CapabilitiesCardProps = { capabilities: Record<string, AgentCapabilities>; agentNames: Record<string, string> };

/** The rule of two per agent: which of the three capability classes it holds, and what follows from that. */
export function CapabilitiesCard({ capabilities, agentNames }: CapabilitiesCardProps) {
  const entries = Object.entries(capabilities);
  return (
    <Card data-testid="agents-capabilities">
      <CardHeader>
        <CardTitle>What each agent can do</CardTitle>
        <CardDescription>
          The rule of two: an agent holding all three of these waits for a person to approve each state-changing call. Decided by the
          validator from the configuration, not by a model.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {entries.length === 0 ? <p className="text-[13px] text-muted-foreground">No valid agents to classify yet.</p> : null}
        {entries.map(([agentId, agent]) => (
          <div key={agentId} className="flex flex-col gap-2" data-testid="agent-capabilities" data-agent-id={agentId}>
            <p className="flex items-center gap-1.5 text-sm font-medium">
              {agent.requiresCallApproval ? (
                <ShieldAlert className="size-4 text-warning" aria-hidden />
              ) : (
                <ShieldCheck className="size-4 text-success" aria-hidden />
              )}
              {agentNames[agentId] ?? agentId}
              <span className="font-mono text-xs font-normal text-muted-foreground">{agentId}</span>
            </p>
            <ul className="flex flex-col gap-1.5">
              {capabilityClasses(agent).map((item) => (
                <li
                  key={item.id}
                  className="flex items-start gap-2 text-[13px]"
                  data-testid={`capability-${item.id}`}
                  data-held={item.held}
                >
                  {item.held ? (
                    <CircleCheck className="mt-0.5 size-3.5 shrink-0 text-foreground" aria-label="Yes" />
                  ) : (
                    <CircleMinus className="mt-0.5 size-3.5 shrink-0 text-muted-foreground/60" aria-label="No" />
                  )}
                  <span className={cn(!item.held && 'text-muted-foreground')}>
                    <span className="font-medium">{item.title}</span>
                    {item.held ? '' : ': no'}
                    <span className="block text-muted-foreground">{item.detail}</span>
                  </span>
                </li>
              ))}
            </ul>
            <p
              className={cn(
                'rounded-md px-2.5 py-1.5 text-[13px]',
                agent.requiresCallApproval ? 'bg-warning/10 text-[oklch(0.45_0.12_60)]' : 'bg-muted text-muted-foreground',
              )}
              data-testid="rule-of-two-summary"
            >
              {ruleOfTwoSummary(agent)}
            </p>
          </div>
        ))}
      </CardContent>
    </Card>
  );
}
