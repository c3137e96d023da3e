import { z } from 'zod';
import { listAssetsInputSchema } from '../assets/list-assets';
import { newClientSchema } from '../api-access/clients';
import { updateUserInputSchema } from '../auth/user-admin';
import { listFindingsInputSchema } from '../findings/list-findings';
import { detectionRawParamsSchema } from '../findings/raw-view';
import { listSavedSearchesInputSchema, saveSearchInputSchema } from '../saved-searches/saved-searches';
import { DEFAULT_IMPORT_LIST_SIZE, MAX_IMPORT_LIST_SIZE } from '../imports/list-imports';
import { importItemSchema } from '../imports/import-schema';
import { createTagInputSchema, tagAssetParamsSchema, tagAssetsInputSchema, updateTagInputSchema } from '../tags/schemas';
import { profileInputSchema } from '../connector-profiles/profile-schema';
import { countMatchesInputSchema, createRuleInputSchema, listRulesInputSchema, updateRuleInputSchema } from '../risk-acceptance/schemas';
import { aliasChangeSchema, aliasInputSchema, aliasKeySchema, aliasListSchema, resolveSpellingSchema, spellingResolutionSchema } from '../identification/alias-store';
import { idParamsSchema } from './ids';
import type { RouteAccess } from './with-api';

export const listImportsInputSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_IMPORT_LIST_SIZE).default(DEFAULT_IMPORT_LIST_SIZE),
});

/** One `/api/v1` endpoint: its access rule, input schemas and the summary the OpenAPI document shows. */
export type RouteDefinition = RouteAccess & {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** OpenAPI path template, e.g. `/api/v1/findings/{id}`. */
  path: string;
  summary: string;
  input?: z.ZodType;
  params?: z.ZodType;
  /** Request body that is not JSON, described for the OpenAPI document only. */
  bodyContentType?: 'multipart/form-data';
  /** Schema of the success response body, for the OpenAPI document. */
  output?: z.ZodType;
  /** See `reuseSessionCheck` in lib/http/with-api.ts. */
  reuseSessionCheck?: boolean;
};

/**
 * Every `/api/v1` route. Route files pass their entry to `withApi`, the OpenAPI document is built
 * from it, and the authorization test runs each entry against every permission set, so a route
 * missing here has no handler that compiles against it.
 */
export const API_ROUTES = {
  listFindings: { method: 'GET', path: '/api/v1/findings', module: 'findings', permission: 'read', summary: 'List findings, one page at a time', input: listFindingsInputSchema },
  getFinding: {
    method: 'GET',
    path: '/api/v1/findings/{id}',
    module: 'findings',
    permission: 'read',
    summary: "Get a finding with its asset and detections; each detection's raw holds the report's attributes in full, never shortened, so it can be large",
    params: idParamsSchema,
  },
  getDetectionRaw: {
    method: 'GET',
    path: '/api/v1/findings/{id}/detections/{detectionId}/raw',
    module: 'findings',
    permission: 'read',
    summary: "Download one detection's raw report attributes in full as a JSON file (the finding page shows them shortened)",
    params: detectionRawParamsSchema,
  },
  listAssets: { method: 'GET', path: '/api/v1/assets', module: 'assets', permission: 'read', summary: 'List assets, one page at a time', input: listAssetsInputSchema },
  getAsset: { method: 'GET', path: '/api/v1/assets/{id}', module: 'assets', permission: 'read', summary: 'Get an asset with its tags and open findings', params: idParamsSchema },
  listImports: { method: 'GET', path: '/api/v1/imports', module: 'imports', permission: 'read', summary: 'List recent imports', input: listImportsInputSchema },
  createImport: {
    method: 'POST',
    path: '/api/v1/imports',
    module: 'imports',
    permission: 'write',
    summary:
      'Import a scanner report sent as multipart field `file`, with optional fields `format` or `profile` (a connector profile name) and `assetName` (the name of the asset of a report of one asset, 1–255 characters) before it; a file above 5 MB answers 202 with a Location and is imported in the background',
    bodyContentType: 'multipart/form-data',
  },
  getImport: {
    method: 'GET',
    path: '/api/v1/imports/{id}',
    module: 'imports',
    permission: 'read',
    summary: 'Get one import with its status, progress, counts and error with its position',
    params: idParamsSchema,
    output: importItemSchema,
    // The Imports page polls this while a background import keeps the embedded database busy.
    reuseSessionCheck: true,
  },
  listClients: { method: 'GET', path: '/api/v1/clients', module: 'account', permission: 'read', summary: "List the signed-in user's API clients" },
  createClient: { method: 'POST', path: '/api/v1/clients', module: 'account', permission: 'write', summary: 'Create an API client; the response holds its secret, shown once', input: newClientSchema },
  rotateClientSecret: { method: 'POST', path: '/api/v1/clients/{id}/rotate', module: 'account', permission: 'write', summary: "Replace an API client's secret", params: idParamsSchema },
  revokeClient: { method: 'DELETE', path: '/api/v1/clients/{id}', module: 'account', permission: 'write', summary: 'Revoke an API client and every token it holds', params: idParamsSchema },
  listUsers: { method: 'GET', path: '/api/v1/admin/users', module: 'administration', permission: 'read', summary: 'List users with their status and API access' },
  updateUser: {
    method: 'PATCH',
    path: '/api/v1/admin/users/{id}',
    module: 'administration',
    permission: 'write',
    summary: 'Deactivate or reactivate a user, or turn their API access on or off',
    params: idParamsSchema,
    input: updateUserInputSchema,
  },
  listSavedSearches: { method: 'GET', path: '/api/v1/saved-searches', module: 'account', permission: 'read', summary: "List the signed-in user's saved searches", input: listSavedSearchesInputSchema },
  saveSearch: { method: 'POST', path: '/api/v1/saved-searches', module: 'account', permission: 'write', summary: 'Save a query under a name for the findings or assets list', input: saveSearchInputSchema },
  deleteSavedSearch: { method: 'DELETE', path: '/api/v1/saved-searches/{id}', module: 'account', permission: 'write', summary: 'Delete a saved search', params: idParamsSchema },
  listTags: { method: 'GET', path: '/api/v1/tags', module: 'tagging', permission: 'read', summary: 'List tags with their Asset Criticality Score and asset count' },
  createTag: { method: 'POST', path: '/api/v1/tags', module: 'tagging', permission: 'write', summary: 'Create a static tag', input: createTagInputSchema },
  getTag: { method: 'GET', path: '/api/v1/tags/{id}', module: 'tagging', permission: 'read', summary: 'Get a tag with its first 500 assets by name', params: idParamsSchema },
  updateTag: {
    method: 'PATCH',
    path: '/api/v1/tags/{id}',
    module: 'tagging',
    permission: 'write',
    summary: "Rename a tag or set its Asset Criticality Score; a new score recomputes its assets' Risk Scores",
    params: idParamsSchema,
    input: updateTagInputSchema,
  },
  deleteTag: { method: 'DELETE', path: '/api/v1/tags/{id}', module: 'tagging', permission: 'write', summary: 'Delete a tag and recompute the Risk Scores of its assets', params: idParamsSchema },
  addTagAssets: { method: 'POST', path: '/api/v1/tags/{id}/assets', module: 'tagging', permission: 'write', summary: 'Add assets to a tag by id', params: idParamsSchema, input: tagAssetsInputSchema },
  removeTagAsset: { method: 'DELETE', path: '/api/v1/tags/{id}/assets/{assetId}', module: 'tagging', permission: 'write', summary: 'Remove one asset from a tag', params: tagAssetParamsSchema },
  listConnectorProfiles: { method: 'GET', path: '/api/v1/connector-profiles', module: 'imports', permission: 'read', summary: 'List connector profiles with their column mappings' },
  createConnectorProfile: {
    method: 'POST',
    path: '/api/v1/connector-profiles',
    module: 'imports',
    permission: 'write',
    summary: 'Create a connector profile: a named CSV column mapping and import options',
    input: profileInputSchema,
  },
  getConnectorProfile: { method: 'GET', path: '/api/v1/connector-profiles/{id}', module: 'imports', permission: 'read', summary: 'Get a connector profile', params: idParamsSchema },
  updateConnectorProfile: {
    method: 'PUT',
    path: '/api/v1/connector-profiles/{id}',
    module: 'imports',
    permission: 'write',
    summary: 'Replace every setting of a connector profile',
    params: idParamsSchema,
    input: profileInputSchema,
  },
  deleteConnectorProfile: { method: 'DELETE', path: '/api/v1/connector-profiles/{id}', module: 'imports', permission: 'write', summary: 'Delete a connector profile', params: idParamsSchema },
  listRiskAcceptances: {
    method: 'GET',
    path: '/api/v1/risk-acceptances',
    module: 'risk_acceptance',
    permission: 'read',
    summary: 'List risk acceptance rules with their state (upcoming, active, expired, revoked) and number of findings',
    input: listRulesInputSchema,
  },
  createRiskAcceptance: {
    method: 'POST',
    path: '/api/v1/risk-acceptances',
    module: 'risk_acceptance',
    permission: 'write',
    summary: 'Create a risk acceptance rule; the findings its query matches leave Risk Scores while it is active',
    input: createRuleInputSchema,
  },
  countRiskAcceptanceMatches: {
    method: 'GET',
    path: '/api/v1/risk-acceptances/matches',
    module: 'risk_acceptance',
    permission: 'read',
    summary: 'Count the findings a draft risk acceptance query matches now',
    input: countMatchesInputSchema,
  },
  listExpiringRiskAcceptances: {
    method: 'GET',
    path: '/api/v1/risk-acceptances/expiring',
    module: 'risk_acceptance',
    permission: 'read',
    summary: 'List the risk acceptance rules that end within their notice period',
  },
  getRiskAcceptance: { method: 'GET', path: '/api/v1/risk-acceptances/{id}', module: 'risk_acceptance', permission: 'read', summary: 'Get a risk acceptance rule', params: idParamsSchema },
  updateRiskAcceptance: {
    method: 'PATCH',
    path: '/api/v1/risk-acceptances/{id}',
    module: 'risk_acceptance',
    permission: 'write',
    summary: "Change a risk acceptance rule; a new query replaces its findings, and its assets' Risk Scores are recomputed",
    params: idParamsSchema,
    input: updateRuleInputSchema,
  },
  revokeRiskAcceptance: {
    method: 'DELETE',
    path: '/api/v1/risk-acceptances/{id}',
    module: 'risk_acceptance',
    permission: 'write',
    summary: 'Revoke a risk acceptance rule: its findings count toward Risk Scores again; the rule is kept for the record',
    params: idParamsSchema,
  },
  listTechnologyAliases: {
    method: 'GET',
    path: '/api/v1/identification/aliases',
    module: 'administration',
    permission: 'read',
    summary: "List the organization's vendor and product aliases, and the size of the bundled alias table they override",
    output: aliasListSchema,
  },
  saveTechnologyAlias: {
    method: 'POST',
    path: '/api/v1/identification/aliases',
    module: 'administration',
    permission: 'write',
    summary:
      'Add a vendor or product alias, or give an existing one a new canonical name (201 when added, 200 otherwise); a change queues a re-identification of the stored findings',
    input: aliasInputSchema,
    output: aliasChangeSchema,
  },
  resolveTechnologySpelling: {
    method: 'GET',
    path: '/api/v1/identification/aliases/resolve',
    module: 'administration',
    permission: 'read',
    summary: 'Show the canonical name a vendor or product spelling resolves to, and whether an organization alias, the bundled table or normalization alone decided it',
    input: resolveSpellingSchema,
    output: spellingResolutionSchema,
  },
  deleteTechnologyAlias: {
    method: 'DELETE',
    path: '/api/v1/identification/aliases/{kind}/{alias}',
    module: 'administration',
    permission: 'write',
    summary: 'Delete an organization alias (any spelling that folds to the stored one names it) and queue a re-identification; answers 204',
    params: aliasKeySchema,
  },
  openApi: { method: 'GET', path: '/api/v1/openapi.json', module: 'public', permission: 'read', summary: 'This OpenAPI 3.1 document' },
} as const satisfies Record<string, RouteDefinition>;

export type ApiRouteName = keyof typeof API_ROUTES;
