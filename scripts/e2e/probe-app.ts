/** A generated app that tries to escape the preview sandbox and reports what it could reach. */
export const probeAppSource = `import { useEffect, useState } from 'react';

type Probe = Record<string, string>;

function attempt(read: () => unknown): string {
  try {
    const value = read();
    return 'read:' + String(value);
  } catch (error) {
    return 'blocked:' + (error instanceof Error ? error.name : 'error');
  }
}

export function App() {
  const [result, setResult] = useState<Probe | null>(null);
  useEffect(() => {
    const probe: Probe = {
      cookie: attempt(() => document.cookie),
      localStorage: attempt(() => window.localStorage.getItem('hangar.canary')),
      sessionStorage: attempt(() => window.sessionStorage.getItem('hangar.identity')),
      parentDom: attempt(() => window.parent.document.title),
      parentCookie: attempt(() => window.parent.document.cookie),
      topLocation: attempt(() => window.top?.location.href),
    };
    fetch('/api/me', { credentials: 'include' })
      .then(async (response) => 'read:' + response.status + ':' + (await response.text()).slice(0, 80))
      .catch((error: unknown) => 'blocked:' + (error instanceof Error ? error.name : 'error'))
      .then((fetched) => {
        const complete = { ...probe, fetchApi: fetched };
        setResult(complete);
        window.parent.postMessage({ type: 'hangar.probe', result: complete }, '*');
      });
  }, []);
  return (
    <main className="p-8 font-sans">
      <h1 className="text-2xl font-semibold">Sandbox probe</h1>
      <pre data-testid="probe-result" className="mt-4 text-sm">{result ? JSON.stringify(result, null, 2) : 'probing…'}</pre>
    </main>
  );
}
`;

export const probeScript = {
  'Build the sandbox probe': [
    { tools: [{ name: 'present_plan', input: { title: 'Probe', summary: 'Checks the sandbox.', steps: ['Probe everything'] } }] },
    {
      tools: [
        { name: 'write_file', input: { path: 'src/App.tsx', content: probeAppSource } },
        { name: 'done_building', input: {} },
      ],
    },
    { text: 'The probe is built.' },
  ],
};
