import type { AppVersion, PlanCard, RunEvent, RunEventBody, RunStatus, Usage, VersionFile } from '@hangar/protocol';

export interface RunContextResponse {
  runId: string;
  appId: string;
  appName: string;
  prompt: string;
  status: RunStatus;
  history: string[];
  latestVersion: (AppVersion & { files: VersionFile[] }) | null;
}

/** The worker's only way to the control plane: its internal API, with a token for one run. */
export class ControlPlaneClient {
  constructor(
    private readonly baseUrl: string,
    private readonly runId: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private async call(method: string, path: string, body?: unknown, raw?: Uint8Array): Promise<Response> {
    const response = await this.fetchImpl(`${this.baseUrl}/internal/runs/${this.runId}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(raw ? { 'content-type': 'application/octet-stream' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(raw ? { body: raw } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) {
      const text = await response.text();
      throw new Error(`control plane ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    return response;
  }

  async context(): Promise<RunContextResponse> {
    return (await (await this.call('GET', '/context')).json()) as RunContextResponse;
  }
  async started(details: { workerId: string; provider: string; model: string }): Promise<void> {
    await this.call('POST', '/started', details);
  }
  async heartbeat(): Promise<{ continue: boolean; status: RunStatus }> {
    return (await (await this.call('POST', '/heartbeat', {})).json()) as { continue: boolean; status: RunStatus };
  }
  async appendEvents(events: RunEventBody[]): Promise<void> {
    await this.call('POST', '/events', { events });
  }
  async readEvents(after?: string): Promise<RunEvent[]> {
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    return ((await (await this.call('GET', `/events${query}`)).json()) as { items: RunEvent[] }).items;
  }
  async proposePlan(plan: PlanCard): Promise<void> {
    await this.call('POST', '/plan', { plan });
  }
  async renameApp(name: string): Promise<void> {
    await this.call('POST', '/rename', { name });
  }
  async missingBlobs(sha256: string[]): Promise<string[]> {
    return ((await (await this.call('POST', '/missing-blobs', { sha256 })).json()) as { missing: string[] }).missing;
  }
  async putBlob(bytes: Uint8Array): Promise<string> {
    return ((await (await this.call('PUT', '/blobs', undefined, bytes)).json()) as { sha256: string }).sha256;
  }
  async getBlob(sha256: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.call('GET', `/blobs/${sha256}`)).arrayBuffer());
  }
  async recordVersion(files: VersionFile[]): Promise<AppVersion> {
    return (await (await this.call('POST', '/versions', { files })).json()) as AppVersion;
  }
  async finish(
    outcome: { status: 'succeeded'; summary: string; usage: Usage } | { status: 'failed'; reason: string; usage: Usage },
  ): Promise<void> {
    await this.call('POST', '/finish', outcome);
  }
}
