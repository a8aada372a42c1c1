import type { LucideIcon } from 'lucide-react';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { cn } from '../../lib/utils';

export type BuilderTab = { id: string; label: string; icon: LucideIcon; render: () => ReactNode };

type BuilderTabsProps = { tabs: BuilderTab[]; actions?: ReactNode; className?: string };

/**
 * Tabs in the WAI-ARIA pattern (arrow keys move between tabs). A panel mounts on its first visit
 * and then stays mounted, so the preview does not reload when the user glances at the code.
 */
export function BuilderTabs({ tabs, actions, className }: BuilderTabsProps) {
  const [active, setActive] = useState(tabs[0]?.id ?? '');
  const [visited, setVisited] = useState(() => new Set([active]));
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  const select = (id: string) => {
    setActive(id);
    setVisited((current) => (current.has(id) ? current : new Set(current).add(id)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === active);
    const offsets: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1 };
    let next: number | undefined;
    if (event.key in offsets) next = (index + (offsets[event.key] ?? 0) + tabs.length) % tabs.length;
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = tabs.length - 1;
    const tab = next === undefined ? undefined : tabs[next];
    if (!tab) return;
    event.preventDefault();
    select(tab.id);
    buttons.current.get(tab.id)?.focus();
  };

  return (
    <div className={cn('flex min-h-0 flex-1 flex-col', className)}>
      <div className="flex h-11 shrink-0 items-center gap-2 border-b px-3">
        <div role="tablist" aria-label="Builder views" className="flex gap-1" onKeyDown={onKeyDown}>
          {tabs.map((tab) => (
            <button
              key={tab.id}
              ref={(element) => {
                if (element) buttons.current.set(tab.id, element);
                else buttons.current.delete(tab.id);
              }}
              type="button"
              role="tab"
              id={`tab-${tab.id}`}
              data-testid={`tab-${tab.id}`}
              aria-selected={active === tab.id}
              aria-controls={`panel-${tab.id}`}
              tabIndex={active === tab.id ? 0 : -1}
              onClick={() => select(tab.id)}
              className={cn(
                'flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-[13px] font-medium text-muted-foreground outline-none transition-colors hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring',
                active === tab.id && 'bg-muted text-foreground',
              )}
            >
              <tab.icon className="size-3.5" aria-hidden />
              {tab.label}
            </button>
          ))}
        </div>
        {actions ? <div className="ml-auto flex items-center gap-2">{actions}</div> : null}
      </div>
      {tabs.map((tab) =>
        visited.has(tab.id) ? (
          <div
            key={tab.id}
            role="tabpanel"
            id={`panel-${tab.id}`}
            aria-labelledby={`tab-${tab.id}`}
            hidden={active !== tab.id}
            className="flex min-h-0 flex-1 flex-col"
          >
            {tab.render()}
          </div>
        ) : null,
      )}
    </div>
  );
}
