import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import { noDomainEvents, type DomainEventPublisher } from '../ports/domain-events';
import type { IdGenerator } from '../ports/id-generator';
import { AuditLog } from './audit-log';
import { InvitationService } from './invitation-service';
import { MembershipService } from './membership-service';
import { SignInService } from './sign-in-service';
import { WorkspaceAccess } from './workspace-access';
import { WorkspaceService } from './workspace-service';

/** The domain services of the foundation, built from ports. */
export interface Services {
  audit: AuditLog;
  access: WorkspaceAccess;
  workspaces: WorkspaceService;
  memberships: MembershipService;
  invitations: InvitationService;
  signIn: SignInService;
}

/** Builds the foundation's services; `events` receives access changes (the composition wires revalidation to it). */
export async function createServices(ports: {
  store: DocumentStore;
  ids: IdGenerator;
  clock: Clock;
  events?: DomainEventPublisher;
}): Promise<Services> {
  const { store, ids, clock } = ports;
  const audit = new AuditLog(store, ids, clock);
  const access = new WorkspaceAccess(store, audit);
  const services: Services = {
    audit,
    access,
    workspaces: new WorkspaceService(store, access, audit, ids, clock),
    memberships: new MembershipService(store, access, audit, ports.events ?? noDomainEvents),
    invitations: new InvitationService(store, access, audit, ids, clock),
    signIn: new SignInService(store, audit, ids, clock, ports.events ?? noDomainEvents),
  };
  await audit.ensureIndexes();
  await services.workspaces.ensureIndexes();
  await services.invitations.ensureIndexes();
  return services;
}
