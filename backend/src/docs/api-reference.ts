import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';

export const API_DOCUMENT_PATH = 'docs/api.md';

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Schema = SchemaObject | ReferenceObject;

const isReference = (value: object): value is ReferenceObject => '$ref' in value;
const schemaName = (reference: ReferenceObject): string => reference.$ref.split('/').at(-1) ?? reference.$ref;
/** GitHub's heading anchor for a schema's `### Name` heading. */
const anchor = (name: string): string => `#${name.toLowerCase()}`;
/** Table cells are one line, and `|` would end them. */
const cell = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

function typeOf(schema: Schema): string {
  if (isReference(schema)) return `[${schemaName(schema)}](${anchor(schemaName(schema))})`;
  // A nullable object field (`SpendBudgetDto | null`) is written as an `allOf` of its one schema.
  if (schema.allOf?.length === 1 && schema.allOf[0] !== undefined) return typeOf(schema.allOf[0]);
  if (schema.enum !== undefined) return schema.enum.map((value) => `\`${String(value)}\``).join(', ');
  if (schema.type === 'array') return `array of ${schema.items === undefined ? 'any' : typeOf(schema.items)}`;
  if (schema.type === 'object' && schema.properties === undefined) return 'any JSON';
  return [schema.type ?? 'any', schema.format === undefined ? '' : ` (${schema.format})`].join('');
}

function range(low: number | undefined, high: number | undefined, unit = ''): string | undefined {
  if (low === undefined && high === undefined) return undefined;
  if (low !== undefined && high !== undefined) return `${low}–${high}${unit}`;
  return low === undefined ? `≤ ${String(high)}${unit}` : `≥ ${low}${unit}`;
}

function rulesOf(schema: Schema): string {
  if (isReference(schema)) return '';
  const rules = [
    range(schema.minimum, schema.maximum),
    range(schema.minLength, schema.maxLength, ' characters'),
    range(schema.minItems, schema.maxItems, ' items'),
    schema.pattern === undefined ? undefined : `\`${schema.pattern}\``,
    schema.default === undefined ? undefined : `default ${JSON.stringify(schema.default)}`,
  ];
  return rules.filter((rule) => rule !== undefined).join('; ');
}

function describedBy(schema: Schema | undefined, fallback = ''): string {
  return schema !== undefined && !isReference(schema) ? (schema.description ?? fallback) : fallback;
}

function fieldTable(rows: { name: string; schema: Schema; required: boolean; description: string }[]): string[] {
  if (rows.length === 0) return [];
  return [
    '| name | type | required | rules | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.name}\` | ${cell(typeOf(row.schema))} | ${row.required ? 'yes' : 'no'} | ${cell(rulesOf(row.schema))} | ${cell(row.description)} |`,
    ),
  ];
}

function authenticationOf(operation: OperationObject): string {
  const schemes = new Set((operation.security ?? []).flatMap((requirement) => Object.keys(requirement)));
  if (schemes.size === 0) return 'none';
  const names: Record<string, string> = { login: 'access token', apiKey: 'API key' };
  return [...schemes].map((scheme) => names[scheme] ?? scheme).join(' or ');
}

function renderOperation(method: string, path: string, operation: OperationObject): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, ''];
  if (operation.summary !== undefined) lines.push(operation.summary, '');
  if (operation.description !== undefined) lines.push(operation.description, '');
  lines.push(`Authentication: ${authenticationOf(operation)}.`, '');
  const parameters = (operation.parameters ?? []).filter(
    (parameter): parameter is ParameterObject => !isReference(parameter),
  );
  for (const place of ['path', 'query'] as const) {
    const inPlace = parameters.filter((parameter) => parameter.in === place);
    if (inPlace.length === 0) continue;
    lines.push(`${place === 'path' ? 'Path' : 'Query'} parameters:`, '');
    lines.push(
      ...fieldTable(
        inPlace.map((parameter) => ({
          name: parameter.name,
          schema: parameter.schema ?? {},
          required: parameter.required === true,
          description: parameter.description ?? describedBy(parameter.schema),
        })),
      ),
      '',
    );
  }
  const body = operation.requestBody as RequestBodyObject | undefined;
  const bodySchema = body?.content['application/json']?.schema;
  if (bodySchema !== undefined) lines.push(`Body (JSON): ${typeOf(bodySchema)}.`, '');
  const responses = Object.entries(operation.responses as Record<string, ResponseObject>)
    .filter(([status]) => status !== 'default')
    .map(([status, response]) => `\`${status}\`${response.description ? ` ${response.description}` : ''}`);
  lines.push(`Answers: ${[...responses, 'or an [error](errors.md)'].join('; ')}.`, '');
  return lines;
}

function renderSchema(name: string, schema: SchemaObject): string[] {
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {});
  return [
    `### ${name}`,
    '',
    ...(schema.description === undefined ? [] : [schema.description, '']),
    ...fieldTable(
      properties.map(([property, propertySchema]) => ({
        name: property,
        schema: propertySchema,
        required: required.has(property),
        description: describedBy(propertySchema),
      })),
    ),
    '',
  ];
}

/**
 * docs/api.md: the OpenAPI document the backend serves, as Markdown for people who read the
 * repository rather than a running server. Routes by tag in the document's order, then the schemas.
 */
export function renderApiReference(document: OpenAPIObject): string {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = item[method];
      return operation === undefined ? [] : [{ method, path, operation, tag: operation.tags?.[0] ?? 'other' }];
    }),
  );
  const tags = [...new Set(operations.map((entry) => entry.tag))];
  const schemes = Object.entries(document.components?.securitySchemes ?? {}).map(
    ([name, scheme]) =>
      `- \`${name}\`: ${isReference(scheme) ? '' : `${scheme.scheme ?? scheme.type} — ${scheme.description ?? ''}`}`,
  );
  const lines = [
    '<!-- Generated by `npm run docs:api` from the OpenAPI document the backend serves at /docs/openapi.json; do not edit by hand. -->',
    '',
    `# ${document.info.title} ${document.info.version}`,
    '',
    document.info.description ?? '',
    '',
    'The running backend serves the same document at `/docs/openapi.json` and Swagger UI at `/docs`.',
    'Every route may also answer an error body; the codes and statuses are in [errors.md](errors.md).',
    '',
    'Authentication (`Authorization: Bearer …`):',
    '',
    ...schemes,
    '',
    ...tags.flatMap((tag) => [
      `## ${tag}`,
      '',
      ...operations
        .filter((entry) => entry.tag === tag)
        .flatMap((entry) => renderOperation(entry.method, entry.path, entry.operation)),
    ]),
    '## Schemas',
    '',
    ...Object.entries(document.components?.schemas ?? {})
      .filter((entry): entry is [string, SchemaObject] => !isReference(entry[1]))
      .flatMap(([name, schema]) => renderSchema(name, schema)),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
