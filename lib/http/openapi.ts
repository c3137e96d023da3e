import { z } from 'zod';
import { grantsToScope } from '../api-access/tokens';
import { emptyGrants } from '../auth/permissions';
import { API_ROUTES, type RouteDefinition } from './api-routes';
import { ASSET_NAME_MAX_LENGTH } from '../ingest/asset-name-schema';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType): JsonSchema {
  // `io: 'input'` describes what a client sends: coerced numbers and fields with defaults stay optional.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function toOutputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, location: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = toJsonSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

function scopeOf(route: RouteDefinition): string[] {
  if (route.module === 'public' || route.module === 'account') return [];
  const grants = emptyGrants();
  grants.modules[route.module] = [route.permission];
  return [grantsToScope(grants), 'access:api'];
}

const ERROR_RESPONSE = {
  description: 'An error with a code and a message saying what failed',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
        required: ['error'],
      },
    },
  },
};

function operationOf(name: string, route: RouteDefinition): JsonSchema {
  const isBodyMethod = route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT';
  const operation: JsonSchema = {
    operationId: name,
    summary: route.summary,
    'x-riskboard-permission': route.module === 'public' ? 'none' : `${route.module}:${route.permission}`,
    parameters: [...parametersOf(route.params, 'path'), ...(isBodyMethod ? [] : parametersOf(route.input, 'query'))],
    responses: {
      // TODO: routes without an `output` schema describe their responses only as JSON objects;
      // clients generated from this document get untyped bodies for them.
      '200': { description: 'Success', content: { 'application/json': { schema: route.output ? toOutputSchema(route.output) : { type: 'object' } } } },
      '400': ERROR_RESPONSE,
      '401': ERROR_RESPONSE,
      '403': ERROR_RESPONSE,
      '404': ERROR_RESPONSE,
    },
  };
  if (isBodyMethod && route.input) operation.requestBody = { required: true, content: { 'application/json': { schema: toJsonSchema(route.input) } } };
  if (route.bodyContentType === 'multipart/form-data') {
    operation.requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              format: { type: 'string' },
              profile: { type: 'string' },
              assetName: {
                type: 'string',
                minLength: 1,
                maxLength: ASSET_NAME_MAX_LENGTH,
                description:
                  'Name of the asset of a report of one asset (kube-bench, npm audit, Trivy and others); formats whose reports name several assets reject it. ' +
                  'Trimmed; control, zero-width and bidirectional formatting characters (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF) are rejected. ' +
                  'Fields may come before or after the file.',
              },
              file: { type: 'string', format: 'binary' },
            },
            required: ['file'],
          },
        },
      },
    };
  }
  if (route.module === 'public') operation.security = [];
  else if (route.module === 'account') operation.security = [{ session: [] }];
  else operation.security = [{ oauth2: scopeOf(route) }, { session: [] }];
  return operation;
}

/** Builds the OpenAPI 3.1 document of `/api/v1` from the route registry and its zod schemas. */
export function buildOpenApiDocument(issuer: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [name, route] of Object.entries(API_ROUTES) as [string, RouteDefinition][]) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = operationOf(name, route);
  }

  const scopes: Record<string, string> = {};
  for (const route of Object.values(API_ROUTES) as RouteDefinition[]) for (const scope of scopeOf(route)) scopes[scope] = `Needed by ${route.method} ${route.path} and others`;
  scopes['access:api'] = 'Use the API at all';

  return {
    openapi: '3.1.0',
    info: { title: 'Riskboard API', version: '1', description: 'Findings, assets and imports of a Riskboard instance. Get a token from /oauth/token with an API client.' },
    servers: [{ url: issuer }],
    paths,
    components: {
      securitySchemes: {
        oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${issuer}/oauth/token`, scopes } } },
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
      },
    },
  };
}
