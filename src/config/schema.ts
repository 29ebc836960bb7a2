import { SEVERITIES } from '../engine/types.js';

/** JSON schema of `.complianceagent.yml`. Unknown keys are errors, named in the message. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    failOn: { enum: [...SEVERITIES, 'none'] },
    include: { type: 'array', items: { type: 'string', minLength: 1 } },
    exclude: { type: 'array', items: { type: 'string', minLength: 1 } },
    maxFileSize: { type: 'integer', minimum: 1 },
    respectGitignore: { type: 'boolean' },
    rules: {
      type: 'object',
      propertyNames: { pattern: '^SOC2-0(0[1-9]|10)$' },
      additionalProperties: {
        anyOf: [
          { enum: ['off', 'on', false, true] },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              enabled: { type: 'boolean' },
              severity: { enum: [...SEVERITIES] },
              options: { type: 'object' },
            },
          },
        ],
      },
    },
  },
} as const;
