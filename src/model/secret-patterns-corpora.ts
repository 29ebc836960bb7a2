/**
 * Provider formats added to close the gaps the public corpora showed (accuracy/secrets-corpus.mjs: gitleaks,
 * secretlint, detect-secrets; read, not copied). Same rules as the other tables: bounded quantifiers, synthetic samples.
 */
import { ALNUM, B64URL, DIGITS, HEX, define, syntheticToken as fake, type SecretPattern } from './secret-pattern-kit.js';

const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';
const uuidOf = (seed: number) => [8, 4, 4, 4, 12].map((n, i) => fake('', n, HEX, seed * 10 + i)).join('-');
/**
 * `<provider…><key|token|…> = value` for formats without a prefix: the provider word, then a credential word in the
 * same name, then an assignment (`=`, `:`, `:=`, `::=`, `?=`, `=>`, a call's parenthesis).
 */
const named = (provider: string, credential: string, value: string) =>
  new RegExp(String.raw`${provider}[\w.-]{0,30}?(?:${credential})[\w.-]{0,20}["'\]]*\s*(?::{0,3}=|\?=|=>|:|\()\s*["']?(?<secret>${value})(?![A-Za-z0-9])`, 'i');

const BEDROCK_PREFIX = `bedrock-api-key-${Buffer.from('bedrock.amazonaws.com').toString('base64')}`;

/** The first segment of a Discord bot token: a user ID (a snowflake, 17–20 digits) in base64. */
const discordId = (seed: number) => Buffer.from(fake('1', 17, DIGITS, seed)).toString('base64url');
/** A Discord bot token: ID, 6-character timestamp, HMAC of 27 (older) or 38 characters. */
const discordToken = (seed: number, hmac = 27) => `${discordId(seed)}.${fake('G', 5, B64URL, seed + 1)}.${fake('', hmac - 1, B64URL, seed + 2)}7`;

export const CORPORA_SECRET_PATTERNS: readonly SecretPattern[] = [
  define({
    // No prefix and no keyword: three dot-separated segments of Discord's exact lengths, the first starting as a
    // base64 user ID does (`M`/`N`/`O`; `A` for newer IDs), with a digit in the first and the last segment (a dotted
    // name like `ModelAdminConfigurations.helper.…` has none), and not part of a longer dotted path.
    id: 'discord-bot-token',
    title: 'Discord bot token',
    regex: /(?<![\w.-])[MNOA](?=[\w-]{0,24}\d)[A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.(?=[\w-]{0,37}\d)[A-Za-z\d_-]{27}(?:[A-Za-z\d_-]{11})?(?![\w-]|\.\w)/,
    keywords: ['.'],
    confidence: 'medium',
    match: [`DISCORD_TOKEN=${discordToken(1)}`, `client.run("${discordToken(4, 38)}")`, `token = '${discordToken(7)}'`],
    noMatch: [
      `${discordId(1).slice(0, 22)}.${fake('G', 5, B64URL, 2)}.${fake('', 27, B64URL, 3)}`, // ID too short
      `${discordId(1)}.${fake('G', 4, B64URL, 2)}.${fake('', 27, B64URL, 3)}`, // timestamp of 5
      `P${discordId(1).slice(1)}.${fake('G', 5, B64URL, 2)}.${fake('', 27, B64URL, 3)}`, // not a base64 ID
      `${discordId(1)}.${fake('G', 5, B64URL, 2)}.${fake('', 26, B64URL, 3)}`, // HMAC too short
      'ModelAdminConfigurationsX.helper.some_long_function_name_here',
      `a.${discordToken(1)}`, // inside a dotted path
    ],
  }),
  define({
    // Sumo Logic access ID (`su` + 12) beside its access key: gitleaks reports it like an AWS access key ID.
    id: 'sumologic-access-id',
    title: 'Sumo Logic access ID',
    regex: named('sumo', 'access[_.-]?id', 'su[A-Za-z0-9]{12}'),
    keywords: ['sumo'],
    severity: 'medium',
    confidence: 'medium',
    match: [`sumologic.accessId = "${fake('su', 12, ALNUM, 1)}"`, `export SUMO_ACCESS_ID=${fake('su', 12, ALNUM, 2)}`],
    noMatch: [`sumologic.accessId = "${fake('su', 11, ALNUM, 1)}"`, `access_id = "${fake('su', 12, ALNUM, 1)}"`],
  }),
  define({
    // HashiCorp Vault service token of the old format (`s.` + 24), only where a token or Vault name holds it.
    id: 'vault-legacy-token',
    title: 'HashiCorp Vault service token',
    regex:
      /(?:vault|token)[\w.-]{0,20}["'\]]*\s*(?:=|:|:=)\s*["']?(?<secret>s\.(?=[A-Za-z0-9]{0,23}\d)(?=[A-Za-z0-9]{0,23}[A-Z])(?=[A-Za-z0-9]{0,23}[a-z])[A-Za-z0-9]{24})(?![A-Za-z0-9])/i,
    keywords: ['vault', 'token'],
    match: [`token: s.${fake('Z', 21, ALNUM, 1)}7a`, `VAULT_TOKEN="s.${fake('Q', 21, ALNUM, 2)}3b"`],
    noMatch: [`token: s.${fake('Z', 20, ALNUM, 1)}7a`, `user = s.${fake('Z', 21, ALNUM, 1)}7a`, 'token: s.getElementsByTagNameNSx'],
  }),
  define({
    // Legacy Heroku API keys, HubSpot private-app keys and Snyk tokens are UUIDs: only under the provider's name.
    id: 'uuid-provider-key',
    title: 'Heroku, HubSpot or Snyk API key',
    regex: named('(?:heroku|hubspot|snyk)', 'key|token|secret', UUID),
    keywords: ['heroku', 'hubspot', 'snyk'],
    confidence: 'medium',
    match: [`heroku_api_key = "${uuidOf(1)}"`, `const hubspotKey = "${uuidOf(2)}"`, `SNYK_TOKEN ::= "${uuidOf(3)}"`, `SNYK_API_KEY ?= "${uuidOf(4)}"`],
    noMatch: [`api_key = "${uuidOf(1)}"`, `heroku_app_id = "${uuidOf(1)}"`, `HEROKU_API_KEY=${uuidOf(1).slice(0, 30)}`],
  }),
  define({
    // SonarQube/SonarCloud tokens: `squ_`/`sqp_`/`sqa_` + 40, or 40 characters under a Sonar login or token name.
    id: 'sonar-token',
    title: 'SonarQube token',
    regex: new RegExp(String.raw`\bsq[upa]_[A-Za-z0-9]{40}(?![A-Za-z0-9])|${named('sonar', 'login|token|key', '[A-Za-z0-9]{40}').source}`, 'i'),
    keywords: ['squ_', 'sqp_', 'sqa_', 'sonar'],
    match: [`SONAR_TOKEN=${fake('squ_', 40, HEX, 1)}`, `sonar.login := "${fake('', 40, ALNUM, 2)}"`],
    noMatch: [fake('squ_', 39, HEX, 1), `login = "${fake('', 40, ALNUM, 2)}"`],
  }),
  define({
    // ClickHouse Cloud API secret key: `4b1d` + 38.
    id: 'clickhouse-cloud-secret',
    title: 'ClickHouse Cloud API secret key',
    regex: /\b4b1d[A-Za-z0-9]{38}(?![A-Za-z0-9])/,
    keywords: ['4b1d'],
    prefixes: ['4b1d'],
    match: [`CLICKHOUSE_SECRET=${fake('4b1d', 38, ALNUM, 1)}`, `"${fake('4b1d', 38, ALNUM, 2)}"`],
    noMatch: [fake('4b1d', 37, ALNUM, 1), fake('4b1e', 38, ALNUM, 1)],
  }),
  define({
    // MaxMind license key: 6, `_`, 29, `_mmk`.
    id: 'maxmind-license-key',
    title: 'MaxMind license key',
    regex: /(?<![\w-])[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk(?![\w-])/,
    keywords: ['_mmk'],
    match: [`MAXMIND_LICENSE_KEY=${fake('', 6, ALNUM, 1)}_${fake('', 29, ALNUM, 2)}_mmk`, `"${fake('', 6, ALNUM, 3)}_${fake('', 29, ALNUM, 4)}_mmk"`],
    noMatch: [`${fake('', 6, ALNUM, 1)}_${fake('', 28, ALNUM, 2)}_mmk`, `${fake('', 6, ALNUM, 1)}_${fake('', 29, ALNUM, 2)}_mmx`],
  }),
  define({
    // Amazon Bedrock short-term API key: `bedrock-api-key-` + base64 of `bedrock.amazonaws.com…` (a presigned URL).
    id: 'aws-bedrock-short-term-key',
    title: 'Amazon Bedrock short-term API key',
    regex: /\bbedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%]{0,4000}/,
    keywords: ['bedrock-api-key-'],
    prefixes: ['bedrock-api-key-'],
    // Built at load time, so no key-shaped literal sits in this file.
    match: [`AWS_BEARER_TOKEN_BEDROCK=${BEDROCK_PREFIX}${fake('', 200, ALNUM, 1)}`, BEDROCK_PREFIX],
    noMatch: [`bedrock-api-key-${fake('', 40, ALNUM, 1)}`, 'bedrock-api-key-'],
  }),
  define({
    // GitHub App installation token of the newer form: `ghs_<installation id>_<JWT>`.
    id: 'github-app-installation-token',
    title: 'GitHub App installation token',
    regex: /\bghs_\d{1,12}_eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}(?![\w-])/,
    keywords: ['ghs_'],
    prefixes: ['ghs_'],
    match: [
      `GH_TOKEN=ghs_${fake('1', 5, DIGITS, 1)}_eyJ${fake('', 30, B64URL, 2)}.eyJ${fake('', 60, B64URL, 3)}.${fake('', 43, B64URL, 4)}`,
      `"ghs_42_eyJ${fake('', 20, B64URL, 5)}.eyJ${fake('', 40, B64URL, 6)}.${fake('', 43, B64URL, 7)}"`,
    ],
    noMatch: [`ghs_12345_eyJ${fake('', 30, B64URL, 2)}`, `ghs_abc_eyJ${fake('', 30, B64URL, 2)}.eyJ${fake('', 60, B64URL, 3)}.${fake('', 43, B64URL, 4)}`],
  }),
  define({
    // Azure AD client secret of any form, under an Azure client-secret name (`azureClientSecret := "…"`).
    id: 'azure-client-secret-named',
    title: 'Azure AD client secret',
    regex: named('azure', 'client[_.-]?secret', '[A-Za-z0-9_~.-]{34,40}'),
    keywords: ['azure'],
    confidence: 'medium',
    match: [`var azureClientSecret := "${fake('', 40, ALNUM, 1)}"`, `AZURE_CLIENT_SECRET=${fake('', 34, B64URL, 2)}`],
    noMatch: [`AZURE_CLIENT_ID=${uuidOf(1)}`, `client_secret = "${fake('', 40, ALNUM, 1)}"`, `AZURE_CLIENT_SECRET=${fake('', 20, ALNUM, 2)}`],
  }),
  define({
    // JFrog Artifactory: an API key is `AKCp` + 69; shorter `AKC…`/`AP<hex>…` values (detect-secrets' samples) count
    // only in an Artifactory header or setting, never bare (a 13-character `AP6…` word is too common on its own).
    id: 'artifactory-credential',
    title: 'JFrog Artifactory API key or password',
    regex:
      /\bAKCp[A-Za-z0-9]{69}(?![A-Za-z0-9])|(?:X-JFrog-Art-Api|x-jfrog-art-api|(?:[Aa]rtif|ARTIF)(?![Aa]ct[Ii]d|ACT_?ID)[\w.:-]{0,20})["'\]]*\s*(?:=|:)\s*["']?(?<secret>AKC[A-Za-z0-9]{10,}|AP[\dA-F][A-Za-z0-9]{8,})(?![A-Za-z0-9])/,
    // Case-sensitive: a Maven/Gradle `artifactId = 'apacheCommons…'` must not pass for `AP<hex>…`.
    keywords: ['akcp', 'x-jfrog-art-api', 'artif'],
    prefixes: ['AKCp'],
    match: [
      `ARTIFACTORY_API_KEY=${fake('AKCp', 69, ALNUM, 1)}`,
      `X-JFrog-Art-Api: ${fake('AKC', 12, ALNUM, 2)}`,
      `artifactory:_password=${fake('AP6', 10, ALNUM, 3)}`,
    ],
    noMatch: [
      `testAKCwithinsomeirrelevantstring`,
      'X-JFrog-Art-Api: $API_KEY',
      `artifactory:_password=${fake('AP6', 6, ALNUM, 3)}`,
      fake('AP6', 10, ALNUM, 3), // bare: no Artifactory context
      fake('AKCp', 60, ALNUM, 1),
      `artifactId = 'APAache${fake('', 9, ALNUM, 4)}'`, // a build file's artifact id
    ],
    placeholder: [`artifactory:_password=AKC${'x'.repeat(10)}`],
  }),
];
