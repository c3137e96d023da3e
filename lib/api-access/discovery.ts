import { MODULES, PERMISSIONS } from '../auth/permissions';
import { tokenConfig } from './config';
import { SIGNING_ALGORITHM } from './signing-keys';

/**
 * Returns the discovery metadata (OpenID Connect Discovery 1.0 and RFC 8414 field names). Only
 * the client-credentials grant exists, so there is no authorization endpoint.
 */
export function discoveryDocument(): Record<string, unknown> {
  const { issuer } = tokenConfig();
  return {
    issuer,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/oauth/jwks`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    token_endpoint_auth_signing_alg_values_supported: [SIGNING_ALGORITHM],
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    scopes_supported: [...MODULES.flatMap((module) => PERMISSIONS.map((permission) => `${module}:${permission}`)), 'access:api', 'access:ui'],
    service_documentation: `${issuer}/api/v1/openapi.json`,
  };
}
