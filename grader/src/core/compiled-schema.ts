import type * as AjvModule from 'ajv';

// JSON-schema validators that compile at their first use, not when their module loads: loading Ajv and compiling a
// schema costs tens of milliseconds, which `decaylab grade` and every lane would otherwise pay at start-up whether or
// not they meet the kind of value the schema describes.

export type CompiledSchema = {
  validate: AjvModule.ValidateFunction;
  /** Ajv's description of why the last value validated was refused. */
  errorsText: () => string;
};

/** Returns a getter; the first call loads Ajv and compiles, later calls return the same validator. */
export function compileOnFirstUse(schema: object, options: AjvModule.Options): () => CompiledSchema {
  let compiled: CompiledSchema | undefined;
  return () => {
    if (!compiled) {
      const ajv = new (require('ajv') as typeof AjvModule).default(options);
      const validate = ajv.compile(schema);
      compiled = { validate, errorsText: () => ajv.errorsText(validate.errors) };
    }
    return compiled;
  };
}
