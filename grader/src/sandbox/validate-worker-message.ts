import { compileOnFirstUse } from '../core/compiled-schema';
import { MAX_MESSAGE_CHARS, MAX_WIRE_DEPTH, MAX_WIRE_ELEMENTS, OPAQUE_KINDS, WIRE_DTYPES, type WorkerMessage, type WireTensor } from './wire';

// Everything a worker writes on its channel is untrusted input to the grader: a line is a protocol message only if it
// matches this schema (types, enums, bounded sizes and nesting), and its tensors' data matches their shapes. The
// trusted side never reads a field of a line that failed here.

const MAX_NAME_CHARS = 200;
const MAX_LIST = 10_000;
const MAX_KEYS = 1000;
const MAX_PATHS = 100;
const MAX_RANK = 8;

const shape = { type: 'array', maxItems: MAX_RANK, items: { type: 'integer', minimum: 0, maximum: MAX_WIRE_ELEMENTS } };
const boundedText = (max: number) => ({ type: 'string', maxLength: max });

/** Value schemas by nesting depth ($defs w0..wN, wK holding containers of w(K-1)): nesting is bounded, nothing recurses. */
function wireDefs(maxDepth: number): Record<string, object> {
  const leaves: object[] = [
    { type: ['null', 'boolean', 'number'] },
    boundedText(MAX_NAME_CHARS),
    {
      type: 'object',
      required: ['$t'],
      additionalProperties: false,
      properties: {
        $t: {
          type: 'object',
          required: ['shape', 'dtype', 'data'],
          additionalProperties: false,
          properties: {
            shape,
            dtype: { enum: WIRE_DTYPES },
            data: { type: 'string', maxLength: 4 * Math.ceil((4 * MAX_WIRE_ELEMENTS) / 3), pattern: '^[A-Za-z0-9+/]*={0,2}$' },
          },
        },
      },
    },
    { type: 'object', required: ['$n'], additionalProperties: false, properties: { $n: { enum: ['NaN', 'Infinity', '-Infinity'] } } },
    { type: 'object', required: ['$u'], additionalProperties: false, properties: { $u: { const: 1 } } },
    { type: 'object', required: ['$disposed'], additionalProperties: false, properties: { $disposed: shape } },
    { type: 'object', required: ['$x'], additionalProperties: false, properties: { $x: { enum: OPAQUE_KINDS } } },
  ];
  const defs: Record<string, object> = { w0: { anyOf: leaves } };
  for (let d = 1; d <= maxDepth; d++) {
    const inner = { $ref: `#/$defs/w${d - 1}` };
    defs[`w${d}`] = {
      anyOf: [
        ...leaves,
        { type: 'array', maxItems: MAX_LIST, items: inner },
        { type: 'object', maxProperties: MAX_KEYS, propertyNames: { maxLength: MAX_NAME_CHARS, not: { pattern: '^\\$' } }, additionalProperties: inner },
      ],
    };
  }
  return defs;
}

const paths = { type: 'array', maxItems: MAX_PATHS, items: boundedText(MAX_NAME_CHARS) };
const observation = {
  type: 'object',
  required: ['returnedPromise', 'leaked', 'disposedInputs', 'mutatedInputs', 'aliasedInputs'],
  additionalProperties: false,
  properties: {
    threw: boundedText(MAX_MESSAGE_CHARS),
    returnedPromise: { type: 'boolean' },
    value: { $ref: `#/$defs/w${MAX_WIRE_DEPTH + 1}` },
    leaked: { type: 'integer', minimum: -1e9, maximum: 1e9 },
    disposedInputs: paths,
    mutatedInputs: paths,
    aliasedInputs: paths,
  },
};
const id = { type: 'integer', minimum: 1 };
const message = (type: string, properties: Record<string, object>) => ({
  type: 'object',
  required: ['type', ...Object.keys(properties)],
  additionalProperties: false,
  properties: { type: { const: type }, ...properties },
});
const workerMessage = {
  $defs: wireDefs(MAX_WIRE_DEPTH + 1),
  anyOf: [
    message('ready', {
      exports: {
        type: 'object',
        maxProperties: MAX_KEYS,
        propertyNames: { maxLength: MAX_NAME_CHARS },
        additionalProperties: { enum: ['undefined', 'object', 'boolean', 'number', 'bigint', 'string', 'symbol', 'function'] },
      },
    }),
    message('load-error', { message: boundedText(MAX_MESSAGE_CHARS) }),
    message('reply', { id, obs: observation }),
    message('reply-error', { id, message: boundedText(MAX_MESSAGE_CHARS) }),
  ],
};

const workerMessageValidator = compileOnFirstUse(workerMessage, { allErrors: false, inlineRefs: false, allowUnionTypes: true });

/** The message a line carries, or undefined when it is not one (not JSON, off schema, or tensors that lie about size). */
export function parseWorkerMessage(line: string): WorkerMessage | undefined {
  const { validate } = workerMessageValidator();
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!validate(value)) return undefined;
  const m = value as WorkerMessage;
  if (m.type === 'reply' && m.obs.value !== undefined && !tensorsConsistent(m.obs.value, { left: MAX_WIRE_ELEMENTS })) return undefined;
  return m;
}

/** Every tensor's data holds exactly the elements its shape says, and all of them together stay within the budget. */
function tensorsConsistent(w: unknown, budget: { left: number }): boolean {
  if (Array.isArray(w)) return w.every((x) => tensorsConsistent(x, budget));
  if (w === null || typeof w !== 'object') return true;
  if ('$t' in w) {
    const t = (w as WireTensor).$t;
    const n = t.shape.reduce((a, b) => a * b, 1);
    budget.left -= n;
    return budget.left >= 0 && Buffer.byteLength(t.data, 'base64') === 4 * n;
  }
  return Object.values(w).every((x) => tensorsConsistent(x, budget));
}
