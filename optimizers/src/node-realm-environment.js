// Jest runs each test file in its own vm context, so `Float32Array` inside tfjs-core (loaded in that context) is not
// the constructor the tfjs-node binding uses (the outer realm). tfjs's weight encoding checks `instanceof
// Float32Array` and fails with "Unsupported TypedArray subtype" on model.save. Sharing the outer realm's typed-array
// constructors makes real saves work under Jest.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class NodeRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = NodeRealmEnvironment;
