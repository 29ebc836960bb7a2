/**
 * Provider secret formats for SOC2-002 (hardcoded credentials): one entry per format, gitleaks-style, each
 * proving itself with samples that must and must not match. Samples are built by `syntheticToken` at load
 * time so this file holds no key-shaped literal (our own scanner and push protection stay quiet on it).
 */
import { ALNUM, B64, B64URL, DIGITS, HEX, UPPER_ALNUM, prefixOf, syntheticToken, type SecretPattern } from './secret-pattern-kit.js';
import { EXTRA_SECRET_PATTERNS } from './secret-patterns-extra.js';
import { MORE_SECRET_PATTERNS } from './secret-patterns-more.js';
import { CORPORA_SECRET_PATTERNS } from './secret-patterns-corpora.js';

export { syntheticToken, type SecretPattern } from './secret-pattern-kit.js';

const fake = syntheticToken;
/** A synthetic UUID-shaped token (8-4-4-4-12 hex). */
const uuidOf = (seed: number) => [8, 4, 4, 4, 12].map((n, i) => fake('', n, HEX, seed * 10 + i)).join('-');
const firstChars = (n: number) => (secret: string) => secret.slice(0, n);

/**
 * Vendors' exact published documentation examples, known to everybody: a match equal to one of these is not a finding.
 * (gitleaks lists AWS's example key as a negative; no corpus lists any of these as a positive.)
 */
export const KNOWN_EXAMPLE_TOKENS: ReadonlySet<string> = new Set([
  // jwt.io's default token (HS256, secret 'your-256-bit-secret').
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  // The Azurite / Azure Storage Emulator account key, the same on every machine and published by Microsoft.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  // AWS's documented access key ID and secret access key (IAM user guide).
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // Slack's documented incoming-webhook URL.
  'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
]);

/**
 * Marks of a value that cannot be a token at all (template markers, ellipses, masks, "your key here", a redacted
 * value): dropped, whatever the pattern matched around them.
 */
const TEMPLATE_IN_TOKEN = /your[-_]|redacted|\*{3,}|\.\.\.|…|[<>{}]|(?:token|key|secret)[-_]?here/i;

/**
 * Marks of a documentation placeholder in a provider's exact format (`…EXAMPLE`, Slack's `XXXX…`, `1234567890`,
 * `abcdefgh`): such a token is reported, ranked low (if it was ever real, it must be rotated), never dropped.
 * No generic repeated-character test here: DER inside PEM bodies legitimately holds long runs of `A`.
 */
const PLACEHOLDER_IN_TOKEN = /example|placeholder|dummy|changeme|x{5,}|0{10,}|0123456789|1234567890|9876543210|abcdefgh/i;

/** Eight or more of one character in a row (`AIzaaaaaaaa…`, `glc_1111…`): filler, not a random token. */
const FILLER_RUN = /(.)\1{7}/;

/** A match that is no finding at all: a vendor's published example, or a template that cannot be a token. */
export function isExampleToken(secret: string): boolean {
  return KNOWN_EXAMPLE_TOKENS.has(secret) || TEMPLATE_IN_TOKEN.test(secret);
}

/**
 * A token in a provider's exact format whose body is placeholder-shaped (`xxxx…`, `1234567890`, one repeated
 * character …): a finding, ranked low. False for what `isExampleToken` drops.
 */
export function isPlaceholderToken(secret: string): boolean {
  if (isExampleToken(secret)) return false;
  if (PLACEHOLDER_IN_TOKEN.test(secret)) return true;
  // DER inside a PEM body legitimately holds long runs of `A`; any other format does not.
  return !secret.startsWith('-----BEGIN ') && FILLER_RUN.test(secret);
}

/** A run of five or more `x`: the conventional mask for "a value goes here" (`ghp_xxxx…`), not a stand-in value. */
const MASK_IN_TOKEN = /x{5,}/i;

/**
 * A placeholder token masked with `x` (`ghp_xxxx…`, `AKIAXXXX…`, `hvs.xxxx…`), unlike a stand-in value (`sk_live_AAAA…`,
 * `1234567890`, `…EXAMPLE`). The text pass reports it only where it is a setting's value (see `secret-text.ts`).
 */
export const isMaskedToken = (secret: string): boolean => isPlaceholderToken(secret) && MASK_IN_TOKEN.test(secret);

/** Dropped or ranked low as a placeholder: what the corpus harness calls placeholder-shaped. */
export const isPlaceholderShaped = (secret: string): boolean => isExampleToken(secret) || isPlaceholderToken(secret);

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT_HS256_HEADER = b64url({ alg: 'HS256', typ: 'JWT' });
const JWT_RS256_HEADER = b64url({ alg: 'RS256', kid: 'k1' });

const pemBody = (seed: number, lines: number) => Array.from({ length: lines }, (_, i) => fake('', 64, B64, seed * 100 + i)).join('\n');
const pem = (label: string, body: string, newline = '\n') => `-----BEGIN ${label}-----${newline}${body}${newline}-----END ${label}-----`;

const slackHook = (seed: number) =>
  `https://hooks.slack.com/services/${fake('T', 10, UPPER_ALNUM, seed)}/${fake('B', 10, UPPER_ALNUM, seed)}/${fake('', 24, ALNUM, seed)}`;

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    // `A3T` + one more character: the older key IDs gitleaks and detect-secrets list too.
    regex: /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    severity: 'critical',
    confidence: 'high',
    publicPrefix: firstChars(4),
    samples: {
      match: [
        `aws_access_key_id = ${fake('AKIA', 16, UPPER_ALNUM)}`,
        `{"AccessKeyId": "${fake('ASIA', 16, UPPER_ALNUM, 1)}"}`,
        `key_id: ${fake('A3T0', 16, UPPER_ALNUM, 2)}`,
      ],
      noMatch: [
        'AKIAIOSFODNN7EXAMPLE', // AWS's documented example
        fake('AKIA', 15, UPPER_ALNUM), // too short
        fake('AKIA', 17, UPPER_ALNUM), // too long
        fake('AKIA', 16, UPPER_ALNUM).toLowerCase(),
        fake('AKIB', 16, UPPER_ALNUM), // wrong prefix
      ],
      placeholder: ['AKIAXXXXXXXXXXXXXXXX'],
    },
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    // 40 base64 characters carry no prefix, so only a value assigned to an AWS-secret name counts.
    regex: /(?:aws[\w.-]{0,20}?secret|secret[_.-]?access[_.-]?key)[\w.-]{0,30}["'\]]*\s*(?:=|:|=>|:=)\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
    keywords: ['secret'],
    severity: 'critical',
    confidence: 'medium',
    samples: {
      match: [
        `aws_secret_access_key = ${fake('', 40, B64)}`,
        `AWS_SECRET_ACCESS_KEY: "${fake('', 40, B64, 1)}"`,
        `{"SecretAccessKey": "${fake('', 40, B64, 2)}"}`,
      ],
      noMatch: [
        'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', // AWS's documented example
        `aws_secret_access_key = ${fake('', 39, B64)}`,
        `aws_secret_access_key = ${fake('', 41, B64)}`,
        `checksum = "${fake('', 40, B64)}"`, // right shape, no AWS-secret name
        'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}',
      ],
    },
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    regex: /\bgh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: firstChars(4),
    samples: {
      match: [`const token = "${fake('ghp_', 36)}";`, `GH_TOKEN=${fake('ghs_', 36, ALNUM, 2)}`],
      noMatch: [
        fake('ghp_', 35),
        fake('ghx_', 36), // wrong prefix
        fake('GHP_', 36),
        'ghp_your_token_here',
      ],
      placeholder: [`ghp_${'x'.repeat(36)}`],
    },
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    regex: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9])/,
    keywords: ['github_pat_'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('github_pat_'),
    samples: {
      match: [`${fake('github_pat_', 22)}_${fake('', 59, ALNUM, 3)}`, `token: "${fake('github_pat_', 22, ALNUM, 4)}_${fake('', 59, ALNUM, 5)}"`],
      noMatch: [`${fake('github_pat_', 22)}_${fake('', 58, ALNUM, 3)}`, `${fake('GITHUB_PAT_', 22)}_${fake('', 59, ALNUM, 3)}`, 'github_pat_<your-token>'],
    },
  },
  {
    id: 'gitlab-pat',
    title: 'GitLab personal access token',
    // 20 is the classic length; newer routable tokens are longer.
    regex: /\bglpat-[A-Za-z0-9_-]{20,}/,
    keywords: ['glpat-'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('glpat-'),
    samples: {
      match: [`gitlab_token: ${fake('glpat-', 20, B64URL)}`, `"${fake('glpat-', 20, ALNUM, 1)}"`],
      noMatch: [
        fake('glpat-', 19),
        fake('GLPAT-', 20),
        fake('glpat_', 20), // wrong separator
      ],
      placeholder: [`glpat-${'x'.repeat(20)}`],
    },
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    regex: /\bxox[abprsoe]-(?=[A-Za-z0-9-]{20})[0-9]{1,13}(?:-[A-Za-z0-9]{1,64}){1,4}(?![\w-])/,
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe-'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: firstChars(5),
    samples: {
      match: [
        `SLACK_BOT_TOKEN=${fake('xoxb-', 12, DIGITS)}-${fake('', 13, DIGITS)}-${fake('', 24)}`,
        `'${fake('xoxp-', 12, DIGITS, 1)}-${fake('', 12, DIGITS, 1)}-${fake('', 12, DIGITS, 2)}-${fake('', 32, HEX)}'`,
        `token: ${fake('xoxo-', 11, DIGITS, 3)}-${fake('', 13, DIGITS, 4)}`, // legacy token
        `?t=${fake('xoxe-', 13, DIGITS, 5)}-${fake('', 13, DIGITS, 6)}-${fake('', 13, DIGITS, 7)}-${fake('', 32, HEX, 8)}`, // a file link's token
      ],
      noMatch: [
        'xoxb-your-bot-token',
        'xoxb-123-abc',
        `${fake('xoxq-', 12, DIGITS)}-${fake('', 13, DIGITS)}-${fake('', 24)}`, // wrong type letter
        `${fake('XOXB-', 12, DIGITS)}-${fake('', 13, DIGITS)}-${fake('', 24)}`,
      ],
      placeholder: [`xoxb-000000000000-0000000000000-${'x'.repeat(24)}`],
    },
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    // Incoming webhooks (`services/T…/B…/…`) and workflow webhooks (`workflows/T…/A…/<id>/…`), over http or https.
    // Lower case in the IDs is only ever a placeholder (`Txxxxxxxx`): matched, so it is reported low as one.
    regex:
      /\bhttps?:\/\/hooks\.slack\.com\/(?:services\/T[A-Za-z0-9]{6,12}\/B[A-Za-z0-9]{6,12}|workflows\/T[A-Z0-9]{6,12}\/A[A-Z0-9]{6,12}\/\d{15,20})\/[A-Za-z0-9]{23,25}(?![A-Za-z0-9])/,
    keywords: ['hooks.slack.com'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('https://hooks.slack.com/services/'),
    samples: {
      match: [
        `SLACK_WEBHOOK_URL=${slackHook(1)}`,
        `fetch("${slackHook(2)}", opts)`,
        `url: https://hooks.slack.com/workflows/${fake('T', 10, UPPER_ALNUM, 3)}/${fake('A', 10, UPPER_ALNUM, 4)}/${fake('4', 17, DIGITS, 5)}/${fake('', 24, ALNUM, 6)}`,
      ],
      noMatch: [
        'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', // Slack's documented example
        'https://hooks.slack.com/services/',
        slackHook(1).replace('hooks.slack.com', 'hooks.slack.example.org'),
        slackHook(1).toLowerCase(),
      ],
      placeholder: [`https://hooks.slack.com/services/T${'x'.repeat(8)}/B${'x'.repeat(8)}/${'x'.repeat(24)}`],
    },
  },
  {
    id: 'stripe-live-secret-key',
    title: 'Stripe live secret key',
    regex: /\b(?:sk|rk)_(?:live|prod)_[A-Za-z0-9]{24,247}(?![A-Za-z0-9])/,
    keywords: ['sk_live_', 'rk_live_', 'sk_prod_', 'rk_prod_'],
    severity: 'critical',
    confidence: 'high',
    publicPrefix: firstChars(8),
    samples: {
      match: [`stripe.api_key = "${fake('sk_live_', 24)}"`, `STRIPE_KEY=${fake('rk_live_', 99, ALNUM, 1)}`, `STRIPE_KEY=${fake('rk_prod_', 99, ALNUM, 2)}`],
      noMatch: [
        fake('pk_live_', 24), // publishable key: public by design
        fake('sk_live_', 23),
        fake('SK_LIVE_', 24),
      ],
      placeholder: [`sk_live_${'x'.repeat(24)}`],
    },
  },
  {
    id: 'stripe-test-secret-key',
    title: 'Stripe test-mode secret key',
    // Test mode moves no money, but the key still reads test data and shows a habit.
    regex: /\b(?:sk|rk)_test_[A-Za-z0-9]{24,247}(?![A-Za-z0-9])/,
    keywords: ['sk_test_', 'rk_test_'],
    severity: 'low',
    confidence: 'high',
    publicPrefix: firstChars(8),
    samples: {
      match: [`Stripe("${fake('sk_test_', 24)}")`, `STRIPE_SECRET=${fake('sk_test_', 99, ALNUM, 1)}`],
      noMatch: [fake('pk_test_', 24), fake('sk_test_', 10)],
      placeholder: [`sk_test_${'x'.repeat(24)}`],
    },
  },
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    regex: /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}(?![A-Za-z0-9]))/,
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-'),
    samples: {
      match: [
        `OPENAI_API_KEY=${fake('sk-proj-', 156, B64URL)}`,
        `api_key="${fake('sk-', 20)}T3BlbkFJ${fake('', 20, ALNUM, 7)}"`,
        fake('sk-svcacct-', 100, B64URL, 2),
      ],
      noMatch: [
        'sk-proj-abc123',
        fake('sk-', 48), // legacy length but no T3BlbkFJ marker: too generic
        'sk-proj-...',
        fake('SK-PROJ-', 60),
      ],
    },
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    // The version digits after `api`/`admin` change (api03, api04 in secretlint's samples); the length does not.
    regex: /\bsk-ant-(?:api0\d|admin0\d)-[A-Za-z0-9_-]{93}AA(?![\w-])/,
    keywords: ['sk-ant-'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('sk-ant-api03-', 'sk-ant-admin01-'),
    samples: {
      match: [
        `ANTHROPIC_API_KEY=${fake('sk-ant-api03-', 93, B64URL)}AA`,
        `"${fake('sk-ant-admin01-', 93, B64URL, 1)}AA"`,
        `'${fake('sk-ant-api04-', 93, B64URL, 2)}AA'`,
      ],
      noMatch: [
        `${fake('sk-ant-api03-', 92, B64URL)}AA`,
        `${fake('sk-ant-api03-', 93, B64URL)}ZZ`,
        `${fake('SK-ANT-API03-', 93, B64URL)}AA`,
        'sk-ant-api03-your-key-here',
      ],
    },
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    regex: /\bAIza[0-9A-Za-z_-]{35}(?![\w-])/,
    keywords: ['aiza'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('AIza'),
    samples: {
      match: [`const mapsKey = '${fake('AIza', 35, B64URL)}';`, `GOOGLE_API_KEY=${fake('AIza', 35, ALNUM, 1)}`],
      noMatch: [fake('AIza', 34, ALNUM), fake('aiza', 35, ALNUM), fake('AIzb', 35, ALNUM)],
      placeholder: [`AIza${'X'.repeat(35)}`],
    },
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key',
    regex: /\bSK[0-9a-f]{32}(?![0-9A-Za-z])/,
    keywords: ['sk'],
    severity: 'high',
    confidence: 'medium',
    publicPrefix: prefixOf('SK'),
    samples: {
      match: [`TWILIO_API_KEY=${fake('SK', 32, HEX)}`, `new Twilio("${fake('SK', 32, HEX, 5)}", apiSecret)`],
      noMatch: [
        fake('AC', 32, HEX), // account SID: an identifier, not a secret
        fake('SK', 31, HEX),
        fake('sk', 32, HEX),
        fake('SK', 32, HEX).toUpperCase(),
      ],
    },
  },
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    regex: /twilio[\w.-]{0,30}?(?:auth|token|secret)[\w.-]{0,20}["'\]]*\s*(?:=|:|=>|:=)\s*["']?(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
    keywords: ['twilio'],
    severity: 'high',
    confidence: 'medium',
    samples: {
      match: [`TWILIO_AUTH_TOKEN=${fake('', 32, HEX)}`, `twilioAuthToken: "${fake('', 32, HEX, 1)}"`],
      noMatch: [
        `TWILIO_ACCOUNT_SID=${fake('AC', 32, HEX)}`,
        `auth_token = "${fake('', 32, HEX)}"`, // no twilio keyword: too generic
        `TWILIO_AUTH_TOKEN=${fake('', 31, HEX)}`,
        'TWILIO_AUTH_TOKEN=your_auth_token',
      ],
    },
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    regex: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![\w-])/,
    keywords: ['sg.'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('SG.'),
    samples: {
      match: [
        `SENDGRID_API_KEY=${fake('SG.', 22, B64URL)}.${fake('', 43, B64URL)}`,
        `sgMail.setApiKey("${fake('SG.', 22, ALNUM, 1)}.${fake('', 43, ALNUM, 1)}")`,
      ],
      noMatch: [
        `${fake('SG.', 22, B64URL)}.${fake('', 42, ALNUM)}`,
        `${fake('sg.', 22, B64URL)}.${fake('', 43, ALNUM)}`,
        `${fake('SG.', 22, ALNUM)}-${fake('', 43, ALNUM)}`,
      ],
      placeholder: [`SG.${'x'.repeat(22)}.${'x'.repeat(43)}`],
    },
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    regex: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    keywords: ['npm_'],
    severity: 'high',
    confidence: 'high',
    publicPrefix: prefixOf('npm_'),
    samples: {
      match: [`//registry.npmjs.org/:_authToken=${fake('npm_', 36)}`, `NPM_TOKEN="${fake('npm_', 36, ALNUM, 1)}"`],
      noMatch: [fake('npm_', 35), fake('NPM_', 36), 'process.env.npm_package_version'],
    },
  },
  {
    // The token line of an .npmrc (in any file: a README, a CI script): `//<registry host>[/path]/:_authToken=<uuid>`,
    // a legacy npm token is a UUID. Without the `//host/` scope it is not an .npmrc line (detect-secrets' negatives).
    id: 'npmrc-auth-token',
    title: 'npm registry auth token',
    regex:
      /(?<![^\s'"`=])\/\/[\w-]+(?:\.[\w-]+)*(?::\d+)?(?:\/[\w.@~-]+)*\/:_authToken\s*=\s*(?<secret>[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})(?![\w-])/,
    keywords: ['_authtoken'],
    severity: 'high',
    confidence: 'high',
    samples: {
      match: [`//registry.npmjs.org/:_authToken=${uuidOf(11)}`, `//npm.example.com/:_authToken= ${uuidOf(12)}`],
      noMatch: [
        '//registry.npmjs.org/:_authToken=$NPM_TOKEN',
        `//registry.npmjs.org/:_authToken=${uuidOf(13).slice(0, 30)}`,
        `//registry.npmjs.org:_authToken=${uuidOf(14)}`, // no scope path: not an .npmrc line
        `///:_authToken=${uuidOf(15)}`,
        `_authToken=${uuidOf(16)}`,
      ],
    },
  },
  {
    id: 'private-key',
    title: 'Private key (PEM)',
    // Also covers a Google service-account JSON: its "private_key" holds a PEM block with `\n` escapes.
    regex: /-----BEGIN (?<label>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----(?:(?!-----)[\s\S]){32,}?-----END \k<label>-----/,
    keywords: ['private key'],
    severity: 'critical',
    confidence: 'high',
    publicPrefix: (secret) => /^-----BEGIN [A-Z ]+-----/.exec(secret)?.[0] ?? '',
    samples: {
      match: [
        `const key = \`${pem('RSA PRIVATE KEY', pemBody(1, 4))}\`;`,
        `{"type": "service_account", "private_key": "${pem('PRIVATE KEY', pemBody(2, 3).replaceAll('\n', '\\n'), '\\n')}\\n"}`,
        pem('OPENSSH PRIVATE KEY', `b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n${pemBody(3, 3)}`),
        pem('PGP PRIVATE KEY BLOCK', `\n${pemBody(4, 3)}`),
      ],
      noMatch: [
        pem('PUBLIC KEY', pemBody(1, 4)),
        pem('CERTIFICATE', pemBody(5, 4)),
        pem('RSA PRIVATE KEY', '...'),
        "if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) return 'rsa';",
        pem('private key', pemBody(1, 4)).replaceAll('BEGIN', 'begin').replaceAll('END', 'end'),
      ],
      placeholder: [pem('PRIVATE KEY', `${'x'.repeat(64)}\n${'x'.repeat(64)}`)],
    },
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    // Medium severity: a JWT in code is often a test token, and it expires; a live one is still a bearer credential.
    // Starts only where a base64url run starts: with `\b`, every `eyJ` of `eyJ-eyJ-eyJ-…` rescanned the whole run.
    regex: /(?<![\w-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}(?![\w-])/,
    keywords: ['eyj'],
    severity: 'medium',
    confidence: 'medium',
    samples: {
      match: [
        `Authorization: Bearer ${JWT_HS256_HEADER}.${b64url({ sub: 'user-42', iat: 1700000000 })}.${fake('', 43, B64URL)}`,
        `const t = "${JWT_RS256_HEADER}.${b64url({ iss: 'acme', exp: 1900000000 })}.${fake('', 342, B64URL, 1)}";`,
      ],
      noMatch: [
        [...KNOWN_EXAMPLE_TOKENS][0] ?? '',
        `${JWT_HS256_HEADER}.${b64url({ sub: 'user-42' })}.`, // unsigned
        'eyJhbGciOi.eyJzdWIi.abc',
        `${JWT_HS256_HEADER}.eyJ....${fake('', 43, B64URL)}`,
        `${JWT_HS256_HEADER}.${b64url({ sub: 'user-42' })}.${fake('', 43, B64URL)}`.toUpperCase(),
      ],
    },
  },
  ...MORE_SECRET_PATTERNS,
  ...EXTRA_SECRET_PATTERNS,
  ...CORPORA_SECRET_PATTERNS,
];
