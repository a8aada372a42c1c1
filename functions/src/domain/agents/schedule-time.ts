import { rateMilliseconds } from '@hangar/protocol';

/** When a schedule fires: five-field cron in an IANA time zone, or a fixed rate. Pure. */
export type ScheduleExpression = { cron: string; timezone: string } | { rate: string; anchor: Date };

interface ZonedParts {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function zoned(time: Date, timezone: string): ZonedParts {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      minute: 'numeric',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
    });
    formatters.set(timezone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(time)) parts[part.type] = part.value;
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: weekdays[parts.weekday ?? 'Sun'] ?? 0,
  };
}

/** The set of values one cron field allows. */
function fieldValues(field: string, min: number, max: number): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [from, to] =
      range === '*' ? [min, max] : range.includes('-') ? range.split('-').map(Number) : [Number(range), stepText ? max : Number(range)];
    for (let value = from ?? min; value <= (to ?? max); value += step) values.add(value);
  }
  return values;
}

export interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

/** The values each field of a five-field cron allows (weekday 7 is Sunday, as 0). */
export function parseCron(cron: string): CronFields {
  const [minute = '*', hour = '*', day = '*', month = '*', weekday = '*'] = cron.trim().split(/\s+/);
  const weekdaysAllowed = fieldValues(weekday, 0, 7);
  if (weekdaysAllowed.has(7)) weekdaysAllowed.add(0);
  return {
    minutes: fieldValues(minute, 0, 59),
    hours: fieldValues(hour, 0, 23),
    days: fieldValues(day, 1, 31),
    months: fieldValues(month, 1, 12),
    weekdays: weekdaysAllowed,
    dayRestricted: day !== '*',
    weekdayRestricted: weekday !== '*',
  };
}

function dayMatches(fields: CronFields, parts: ZonedParts): boolean {
  const byDay = fields.days.has(parts.day);
  const byWeekday = fields.weekdays.has(parts.weekday);
  // Classic cron: when both are restricted, either one matching is enough.
  if (fields.dayRestricted && fields.weekdayRestricted) return byDay || byWeekday;
  return byDay && byWeekday;
}

const minuteMs = 60_000;

/** The first fire time strictly after `after`, or null when none falls within ~5 years. */
export function nextFireTime(expression: ScheduleExpression, after: Date): Date | null {
  if ('rate' in expression) {
    const interval = rateMilliseconds(expression.rate);
    if (!interval) return null;
    const elapsed = after.getTime() - expression.anchor.getTime();
    const periods = elapsed < 0 ? 0 : Math.floor(elapsed / interval) + 1;
    return new Date(expression.anchor.getTime() + periods * interval);
  }
  const fields = parseCron(expression.cron);
  let time = Math.floor(after.getTime() / minuteMs) * minuteMs + minuteMs;
  const limit = after.getTime() + 5 * 366 * 24 * 60 * minuteMs;
  while (time <= limit) {
    const parts = zoned(new Date(time), expression.timezone);
    if (!fields.months.has(parts.month) || !dayMatches(fields, parts) || !fields.hours.has(parts.hour)) {
      // Skip to the next local hour: nothing in the rest of this hour can match.
      time += (60 - parts.minute) * minuteMs;
      continue;
    }
    if (fields.minutes.has(parts.minute)) return new Date(time);
    time += minuteMs;
  }
  return null;
}
