import type { AgentsConfigResponse } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { CalendarClock } from 'lucide-react';
import { useMemo } from 'react';
import { QueryError } from '../../components/query-error';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { EmptyState } from '../../components/ui/empty-state';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { isApiError } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { agentSchedulesQuery } from './agents-queries';
import { parseJsonOrUndefined } from './required-secrets';
import { declaredSchedules, publishedScheduleOf } from './schedule-triggers';

/** The schedule triggers the configuration declares, and for the published app when each fires next. */
export function SchedulesTab({ workspaceId, appId, config }: { workspaceId: string; appId: string; config: AgentsConfigResponse }) {
  const declared = useMemo(() => declaredSchedules(parseJsonOrUndefined(config.text)), [config.text]);
  const published = useQuery({ ...agentSchedulesQuery(workspaceId, appId), enabled: declared.length > 0 });
  const notPublished = published.isError && isApiError(published.error) && published.error.status === 404;

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-auto p-4">
      <Card data-testid="schedules-card">
        <CardHeader>
          <CardTitle>Schedules</CardTitle>
          <CardDescription>Scheduled runs use the published app and the configuration approved when it was published.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {declared.length === 0 ? (
            <EmptyState
              icon={CalendarClock}
              title="No schedules"
              description='Add a trigger like {"type": "schedule", "cron": "0 9 * * 1-5", "timezone": "Europe/London"} or {"type": "schedule", "rate": "rate(1 hour)"} to an agent.'
            />
          ) : (
            <>
              {notPublished ? (
                <p className="rounded-md bg-muted px-3 py-2 text-[13px] text-muted-foreground" data-testid="schedules-unpublished">
                  Schedules appear once the app is published: until then nothing fires.
                </p>
              ) : published.isError ? (
                <QueryError
                  error={published.error}
                  what="the schedules"
                  onRetry={() => published.refetch()}
                  retrying={published.isFetching}
                />
              ) : null}
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Agent</TableHead>
                    <TableHead>When</TableHead>
                    <TableHead>Next run</TableHead>
                    <TableHead>Last run</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {declared.map((schedule) => {
                    const entry = published.data ? publishedScheduleOf(published.data, schedule) : null;
                    return (
                      <TableRow key={`${schedule.agentId}-${schedule.triggerIndex}`} data-testid="schedule-row">
                        <TableCell className="text-[13px] font-medium">{schedule.agentName}</TableCell>
                        <TableCell className="font-mono text-xs">{schedule.expression}</TableCell>
                        <TableCell className="text-[13px]" data-testid="schedule-next">
                          {published.isPending && !notPublished ? (
                            '…'
                          ) : entry?.nextFireAt ? (
                            <time dateTime={entry.nextFireAt} title={formatDateTime(entry.nextFireAt)}>
                              {formatDateTime(entry.nextFireAt)} ({formatRelative(entry.nextFireAt)})
                            </time>
                          ) : (
                            <span className="text-muted-foreground">
                              {notPublished ? 'After publishing' : published.isSuccess ? 'Not scheduled (publish to start it)' : '—'}
                            </span>
                          )}
                        </TableCell>
                        <TableCell className="text-[13px] text-muted-foreground">
                          {entry?.lastFiredAt ? formatRelative(entry.lastFiredAt) : 'Never'}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
