/** The structured reading of a prompt that the offline generator builds an app from. */

/** How a field is stored, edited and shown. */
export type FieldKind = 'text' | 'email' | 'url' | 'phone' | 'number' | 'money' | 'date' | 'boolean' | 'status' | 'longtext';

export const fieldKinds: readonly FieldKind[] = [
  'text',
  'email',
  'url',
  'phone',
  'number',
  'money',
  'date',
  'boolean',
  'status',
  'longtext',
];

/** One field of the app's records. */
export interface FieldSpec {
  /** A camelCase identifier, unique within the app; the document key. */
  key: string;
  /** Sentence-case label shown in the form and the table. */
  label: string;
  kind: FieldKind;
  /** The choices of a `status` field, first one the default. */
  options?: string[];
  required: boolean;
}

/** What one record is called. */
export interface EntitySpec {
  /** Lower case, e.g. `lead` or `customer lead`. */
  singular: string;
  plural: string;
  /** camelCase plural, a safe identifier: the collection name. */
  collection: string;
}

/** An app agent the prompt asked for (`agents.json`): one manual agent, with at most one HTTP tool. */
export interface AgentSpec {
  id: string;
  name: string;
  description: string;
  instructions: string;
  /** The HTTP tool it calls with the record's `inputKey` field, or null when the prompt named no web address. */
  tool: { name: string; description: string; url: string; domain: string; inputKey: string; secretName: string | null } | null;
}

export interface AppSpec {
  /** Title case, e.g. `Lead Tracker`. */
  appName: string;
  entity: EntitySpec;
  fields: FieldSpec[];
  /** What the reader had to assume (no entity found, default fields…), said to the person. */
  assumptions: string[];
  /** The app agent the prompt asked for ("with an agent that looks up each lead's company via https://…"). */
  agent?: AgentSpec;
}
