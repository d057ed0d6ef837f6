import { VISIBILITIES } from './assignment';

// JSON schema of the Gradescope autograder results.json the grader writes (the fields of Gradescope's specification
// the grader uses, with their types and allowed values). Used to validate every file before it is written.

const visibility = { enum: [...VISIBILITIES] };

export const resultsSchema = {
  $id: 'https://decaylab.dev/schemas/gradescope-results.json',
  type: 'object',
  required: ['score', 'max_score', 'execution_time', 'output', 'tests'],
  additionalProperties: false,
  properties: {
    score: { type: 'number', minimum: 0 },
    max_score: { type: 'number', minimum: 0 },
    execution_time: { type: 'number', minimum: 0 },
    output: { type: 'string' },
    visibility,
    stdout_visibility: visibility,
    extra_data: { type: 'object', required: ['student'], additionalProperties: false, properties: { student: { type: 'string', minLength: 1 } } },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'number', 'score', 'max_score', 'status', 'output', 'visibility'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          number: { type: 'string' },
          score: { type: 'number', minimum: 0 },
          max_score: { type: 'number', minimum: 0 },
          status: { enum: ['passed', 'failed'] },
          output: { type: 'string' },
          visibility,
          extra_data: {
            type: 'object',
            required: ['misconception'],
            additionalProperties: false,
            properties: { misconception: { type: 'string', minLength: 1 } },
          },
        },
      },
    },
  },
} as const;
