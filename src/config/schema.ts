import { SEVERITIES } from '../types.js';

/**
 * JSON schema of `.complianceagent.yml`. Unknown keys are errors. load.ts checks the file key by key first (to
 * report every mistake with its line and a "did you mean"); this schema stays the final word and is what an
 * editor's YAML language server can use.
 */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    failOn: { enum: [...SEVERITIES, 'none'] },
    failOnTestFindings: { type: 'boolean' },
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

export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMA.properties) as Array<keyof typeof CONFIG_SCHEMA.properties>;
export const RULE_SETTING_KEYS = Object.keys(CONFIG_SCHEMA.properties.rules.additionalProperties.anyOf[1].properties);
export const RULE_SWITCHES = CONFIG_SCHEMA.properties.rules.additionalProperties.anyOf[0].enum;
