import type { GovernanceServices } from '../../domain/governance-services';
import { HangarError } from '../../domain/errors';
import type { AppDependencies, BuilderDependencies } from '../app-env';

/** The builder and governance services, or a 503 when this deployment runs without them. */
export function governanceOf(deps: AppDependencies): BuilderDependencies & { governance: GovernanceServices } {
  const builder = deps.builder;
  if (!builder?.governance) throw new HangarError(503, 'unavailable', 'Governance is not configured here.');
  return { ...builder, governance: builder.governance };
}
