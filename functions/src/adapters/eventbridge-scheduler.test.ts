import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { schedulerContract, settableClock, type SettableClock } from '../ports/scheduler.contract';
import type { ScheduleSpec } from '../ports/scheduler';
import { createEventBridgeScheduler, eventBridgeCronExpressions, ScheduleFireEvent } from './eventbridge-scheduler';

const targetArn = 'arn:aws:lambda:eu-west-1:111122223333:function:hangar-schedule-fire';
const roleArn = 'arn:aws:iam::111122223333:role/hangar-schedules';
const metadata = { $metadata: {} };

/**
 * EventBridge Scheduler behind the real SDK client: schedules by group and name, Create refuses
 * an existing name (ConflictException), Update and Delete refuse a missing one
 * (ResourceNotFoundException), Get returns what was stored — what the service does.
 */
function fakeSchedulerService() {
  const client = new SchedulerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  const schedules = new Map<string, CreateScheduleCommandInput>();
  const key = (input: { GroupName?: string | undefined; Name?: string | undefined }) =>
    `${input.GroupName ?? 'default'}/${input.Name ?? ''}`;
  const notFound = (name: string | undefined) =>
    new ResourceNotFoundException({
      message: `Schedule ${name} does not exist.`,
      Message: `Schedule ${name} does not exist.`,
      $metadata: {},
    });
  mock.on(CreateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    if (schedules.has(key(input)))
      throw new ConflictException({
        message: `Schedule ${input.Name} already exists.`,
        Message: `Schedule ${input.Name} already exists.`,
        $metadata: {},
      });
    schedules.set(key(input), input);
    return { ScheduleArn: `arn:aws:scheduler:eu-west-1:111122223333:schedule/${key(input)}`, ...metadata };
  });
  mock.on(UpdateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => {
    if (!schedules.has(key(input))) throw notFound(input.Name);
    schedules.set(key(input), input);
    return { ScheduleArn: `arn:aws:scheduler:eu-west-1:111122223333:schedule/${key(input)}`, ...metadata };
  });
  mock.on(DeleteScheduleCommand).callsFake((input: { GroupName?: string; Name?: string }) => {
    if (!schedules.delete(key(input))) throw notFound(input.Name);
    return metadata;
  });
  mock.on(GetScheduleCommand).callsFake((input: { GroupName?: string; Name?: string }) => {
    const stored = schedules.get(key(input));
    if (!stored) throw notFound(input.Name);
    return { ...stored, Arn: `arn:aws:scheduler:eu-west-1:111122223333:schedule/${key(input)}`, ...metadata };
  });
  return { client, mock, schedules };
}

const make = (clock: SettableClock, service = fakeSchedulerService()) =>
  createEventBridgeScheduler({ client: service.client, targetArn, roleArn, clock });

schedulerContract('eventbridge (over a fake of its API)', (clock) => make(clock));

const spec = (overrides: Partial<ScheduleSpec> = {}): ScheduleSpec => ({
  id: 'sch_0123456789abcdef01234567',
  workspaceId: 'wsp_1',
  appId: 'app_1',
  agentId: 'enricher',
  expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
  input: { source: 'schedule' },
  createdAt: '2026-12-01T08:00:00.000Z',
  ...overrides,
});

describe('EventBridge Scheduler adapter: the exact commands', () => {
  it('creates one schedule in the hangar group: cron in the time zone, no flexible window, the fire Lambda with the scheduled time', async () => {
    const service = fakeSchedulerService();
    await make(settableClock('2026-12-01T08:00:00Z'), service).put(spec());
    const creates = service.mock.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
    expect(creates).toEqual([
      {
        Name: 'sch_0123456789abcdef01234567',
        GroupName: 'hangar-app-agents',
        Description: 'Hangar app app_1, agent enricher',
        ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'Europe/London',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: targetArn,
          RoleArn: roleArn,
          Input: JSON.stringify({
            scheduleId: 'sch_0123456789abcdef01234567',
            scheduledFor: '<aws.scheduler.scheduled-time>',
            expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
            createdAt: '2026-12-01T08:00:00.000Z',
          }),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      },
    ]);
    // A cron that needs one schedule clears a second one left from an earlier expression.
    expect(service.mock.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: 'sch_0123456789abcdef01234567.dow', GroupName: 'hangar-app-agents' },
    ]);
    expect(service.mock.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('put is idempotent: an existing schedule (ConflictException) is updated with the same input', async () => {
    const service = fakeSchedulerService();
    const scheduler = make(settableClock('2026-12-01T08:00:00Z'), service);
    await scheduler.put(spec());
    await scheduler.put(spec({ expression: { rate: 'rate(5 minutes)' } }));
    const update = service.mock.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input);
    expect(update).toHaveLength(1);
    expect(update[0]).toMatchObject({ Name: spec().id, GroupName: 'hangar-app-agents', ScheduleExpression: 'rate(5 minutes)' });
    expect(update[0]?.ScheduleExpressionTimezone).toBeUndefined();
    expect(service.schedules.size).toBe(1);
  });

  it('a cron restricting both day fields becomes two schedules, and remove deletes both', async () => {
    const service = fakeSchedulerService();
    const scheduler = make(settableClock('2026-12-01T08:00:00Z'), service);
    await scheduler.put(spec({ expression: { cron: '0 12 1,15 * 0', timezone: 'UTC' } }));
    expect(
      service.mock.commandCalls(CreateScheduleCommand).map((call) => [call.args[0].input.Name, call.args[0].input.ScheduleExpression]),
    ).toEqual([
      [spec().id, 'cron(0 12 1,15 * ? *)'],
      [`${spec().id}.dow`, 'cron(0 12 ? * SUN *)'],
    ]);
    await scheduler.remove(spec().id);
    expect(service.mock.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input.Name)).toEqual([
      spec().id,
      `${spec().id}.dow`,
    ]);
    expect(service.schedules.size).toBe(0);
  });

  it('remove tolerates ResourceNotFound and surfaces any other error; put surfaces a refused create', async () => {
    const service = fakeSchedulerService();
    const scheduler = make(settableClock('2026-12-01T08:00:00Z'), service);
    await expect(scheduler.remove('sch_gone')).resolves.toBeUndefined();
    service.mock.on(DeleteScheduleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(scheduler.remove('sch_gone')).rejects.toThrow('Rate exceeded');
    service.mock.on(CreateScheduleCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));
    await expect(scheduler.put(spec())).rejects.toThrow('Access denied');
    expect(service.mock.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('a process without the fire function refuses to create schedules, but still removes them', async () => {
    const service = fakeSchedulerService();
    const scheduler = createEventBridgeScheduler({
      client: service.client,
      targetArn: null,
      roleArn,
      clock: settableClock('2026-12-01T08:00:00Z'),
    });
    await expect(scheduler.put(spec())).rejects.toThrow('schedule fire function is not configured');
    await expect(scheduler.remove(spec().id)).resolves.toBeUndefined();
    expect(service.mock.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });
});

describe('five-field cron → EventBridge cron', () => {
  it.each([
    ['0 9 * * 1-5', ['cron(0 9 ? * MON-FRI *)']],
    ['*/15 * * * *', ['cron(0,15,30,45 * * * ? *)']],
    ['0 0 1 * *', ['cron(0 0 1 * ? *)']],
    ['30 6 * 1-3 0,6', ['cron(30 6 ? 1-3 SUN,SAT *)']],
    ['0 8 * * 7', ['cron(0 8 ? * SUN *)']],
    ['0 8 1-7 * 1', ['cron(0 8 1-7 * ? *)', 'cron(0 8 ? * MON *)']],
    ['0 8 10 * 0-6', ['cron(0 8 * * ? *)']],
  ])('%s', (cron, expected) => {
    expect(eventBridgeCronExpressions(cron)).toEqual(expected);
  });
});

describe('the fire event', () => {
  it('accepts what a schedule sends once EventBridge fills in the time, and refuses anything else', () => {
    const event = {
      scheduleId: 'sch_0123456789abcdef01234567',
      scheduledFor: '2026-12-01T09:00:00Z',
      expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
      createdAt: '2026-12-01T08:00:00.000Z',
    };
    expect(ScheduleFireEvent.safeParse(event).success).toBe(true);
    expect(ScheduleFireEvent.safeParse({ ...event, scheduledFor: '<aws.scheduler.scheduled-time>' }).success).toBe(false);
    expect(ScheduleFireEvent.safeParse({ ...event, scheduleId: '../other' }).success).toBe(false);
    expect(ScheduleFireEvent.safeParse({ ...event, extra: 1 }).success).toBe(false);
  });
});
