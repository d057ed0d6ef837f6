import { parseWorkerMessage } from './validate-worker-message';
import { tensorToWire } from './wire';

// A worker's line is a message only if it matches the protocol in every type, enum and size.

const obs = (value: unknown) => ({ returnedPromise: false, value, leaked: 0, disposedInputs: [], mutatedInputs: [], aliasedInputs: [] });
const reply = (value: unknown) => JSON.stringify({ type: 'reply', id: 3, obs: obs(value) });

test('well-formed messages pass, with their tensors', () => {
  const t = tensorToWire([2, 2], Float32Array.from([1, 2, 3, 4]));
  expect(parseWorkerMessage(reply({ params: [t], state: { t: 1, m: [t] } }))).toMatchObject({ type: 'reply', id: 3 });
  expect(parseWorkerMessage(JSON.stringify({ type: 'ready', exports: { l2Penalty: 'function' } }))).toMatchObject({ type: 'ready' });
  expect(parseWorkerMessage(JSON.stringify({ type: 'load-error', message: 'SyntaxError: x' }))).toMatchObject({ type: 'load-error' });
});

test('anything else is refused: not JSON, null, unknown types, missing or extra fields, wrong types', () => {
  for (const line of [
    'not json',
    'null',
    '42',
    '[]',
    JSON.stringify({ type: 'reply' }),
    JSON.stringify({ type: 'hello', id: 1 }),
    JSON.stringify({ type: 'reply', id: '3', obs: obs(0) }),
    JSON.stringify({ type: 'reply', id: 3, obs: { ...obs(0), leaked: 'none' } }),
    JSON.stringify({ type: 'reply', id: 3, obs: { ...obs(0), extra: 1 } }),
    JSON.stringify({ type: 'ready', exports: { f: 'a function, honestly' } }),
  ]) {
    expect(parseWorkerMessage(line)).toBeUndefined();
  }
});

test('sizes are bounded: long text, opaque values outside the vocabulary, deep nesting', () => {
  expect(parseWorkerMessage(JSON.stringify({ type: 'load-error', message: 'x'.repeat(501) }))).toBeUndefined();
  expect(parseWorkerMessage(reply({ $x: 'a typed array' }))).toBeDefined();
  expect(parseWorkerMessage(reply({ $x: '[object EXFIL 1,2,3]' }))).toBeUndefined();
  expect(parseWorkerMessage(reply('y'.repeat(201)))).toBeUndefined();
  let deep: unknown = 0;
  for (let i = 0; i < 9; i++) deep = [deep];
  expect(parseWorkerMessage(reply(deep))).toBeDefined();
  expect(parseWorkerMessage(reply([deep]))).toBeUndefined();
});

test('a tensor must hold exactly the elements its shape says, in a known dtype; plain objects carry no $ keys', () => {
  const t = tensorToWire([3], Float32Array.from([1, 2, 3]));
  expect(parseWorkerMessage(reply({ $t: { ...t.$t, shape: [2, 3] } }))).toBeUndefined();
  expect(parseWorkerMessage(reply({ $t: { ...t.$t, dtype: 'complex64' } }))).toBeUndefined();
  expect(parseWorkerMessage(reply({ $t: { ...t.$t, data: '!!!!' } }))).toBeUndefined();
  expect(parseWorkerMessage(reply({ $t: t.$t, extra: 1 }))).toBeUndefined();
  expect(parseWorkerMessage(reply({ state: { $t: 1 } }))).toBeUndefined();
});
