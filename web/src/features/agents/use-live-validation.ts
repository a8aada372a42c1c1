import type { AgentsValidationResult } from '@hangar/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, errorMessage } from '../../lib/api';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { agentKeys } from './agents-queries';
import { lineOfPath, locateJsonPaths } from './json-paths';
import type { LocatedProblem } from './validation-problems';

export type LiveValidation = {
  problems: LocatedProblem[];
  /** The server's answer for the text as it is now (null while it is not JSON). */
  result: AgentsValidationResult | null;
  checking: boolean;
  checkError: string | null;
};

/**
 * Validates the editor's text as the person types: JSON syntax here (with its line), then the
 * schema and policy through `POST …/agents/validate`, each problem placed on its line.
 */
export function useLiveValidation(workspaceId: string, appId: string, text: string): LiveValidation {
  const debounced = useDebouncedValue(text, 400);
  const locations = useMemo(() => locateJsonPaths(debounced), [debounced]);
  const syntaxError = locations.syntaxError;
  const validation = useQuery({
    queryKey: agentKeys.validation(workspaceId, appId, debounced),
    queryFn: ({ signal }) => api.validateAgents(workspaceId, appId, JSON.parse(debounced) as unknown, signal),
    enabled: syntaxError === null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: 1,
  });
  const checking = text !== debounced || (syntaxError === null && validation.isFetching);
  if (syntaxError) {
    return {
      problems: [
        {
          path: '(document)',
          message: `is not valid JSON: ${syntaxError.message} (line ${syntaxError.line}, column ${syntaxError.column})`,
          line: syntaxError.line,
        },
      ],
      result: null,
      checking,
      checkError: null,
    };
  }
  const result = validation.isPlaceholderData ? null : (validation.data ?? null);
  return {
    problems: (validation.data?.errors ?? []).map((error) => ({ ...error, line: lineOfPath(locations, error.path) })),
    result,
    checking,
    checkError: validation.isError ? errorMessage(validation.error) : null,
  };
}
