import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

/** The hosted UI's domain prefix: the parameter, or `hangar-<account id>`. */
export const cognitoDomainPrefix = (scope: Construct, prefix?: string) => prefix ?? `hangar-${Stack.of(scope).account}`;

/**
 * Origins the console's browser code calls for sign-in: the issuer (discovery) and, for
 * Cognito, the hosted UI domain (token and logout endpoints). Known before any resource exists.
 */
export function identityBrowserOrigins(scope: Construct, props: Pick<IdentityProps, 'mode' | 'issuer' | 'domainPrefix'>): string[] {
  if (props.mode === 'oidc') return props.issuer ? [new URL(props.issuer).origin] : [];
  const region = Stack.of(scope).region;
  return [
    `https://cognito-idp.${region}.amazonaws.com`,
    `https://${cognitoDomainPrefix(scope, props.domainPrefix)}.auth.${region}.amazoncognito.com`,
  ];
}

export interface IdentityProps {
  mode: 'cognito' | 'oidc';
  /** External issuer and the audience of its ID tokens (mode `oidc`). */
  issuer?: string;
  audience?: string;
  domainPrefix?: string;
  /** The console's origin: Cognito redirects back to `${consoleUrl}/auth/callback`. */
  consoleUrl: string;
  retain: boolean;
}

/**
 * Who signs in: a Cognito user pool with its hosted UI (authorization code + PKCE for the
 * console, a public client without a secret), or an external OIDC issuer. Either way the control
 * plane and the HTTP API's JWT authorizer verify the same issuer and audience.
 */
export class Identity extends Construct {
  readonly issuer: string;
  /** The audience of the bearer tokens (the client id): ID tokens carry it as `aud`. */
  readonly audience: string;
  /** Where the console sends the browser to sign in (empty: discovered from the issuer). */
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userPool: cognito.UserPool | null;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    if (props.mode === 'oidc') {
      this.issuer = props.issuer ?? '';
      this.audience = props.audience ?? '';
      this.authorizationEndpoint = '';
      this.tokenEndpoint = '';
      this.userPool = null;
      return;
    }
    const pool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: 'hangar',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(pool, [
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP) so an organisation can require it through its own policy; Cognito threat protection runs in full-function mode on every sign-in.',
      },
    ]);
    const client = pool.addClient('Console', {
      userPoolClientName: 'hangar-console',
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${props.consoleUrl}/auth/callback`],
        logoutUrls: [`${props.consoleUrl}/`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
    const domain = pool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: cognitoDomainPrefix(this, props.domainPrefix) },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    new cognito.CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: pool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.userPool = pool;
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${pool.userPoolId}`;
    this.audience = client.userPoolClientId;
    this.authorizationEndpoint = `${domain.baseUrl()}/oauth2/authorize`;
    this.tokenEndpoint = `${domain.baseUrl()}/oauth2/token`;
  }
}
