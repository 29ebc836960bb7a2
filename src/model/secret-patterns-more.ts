/**
 * Provider formats added for issue 15: AI providers, and the gaps against gitleaks' rule set (config/gitleaks.toml,
 * read in December 2026, not copied) that matter most for a SaaS codebase — cloud, VCS, payment, chat and
 * developer-platform tokens. Only formats with a distinctive prefix or a provider word next to the value: a bare
 * 32-character string is never a provider key here. Every regex starts at a literal prefix or a bounded run and
 * has bounded quantifiers, so it stays linear (test/security/redaction-regex-time.test.ts feeds each one hostile
 * text). Samples are synthetic (syntheticToken), never real keys.
 */
import type { Confidence, Severity } from '../types.js';
import { ALNUM, B64, B64URL, DIGITS, HEX, UPPER_ALNUM, prefixOf, syntheticToken as fake, type SecretPattern } from './secret-pattern-kit.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';
const UPPER_HEX = '0123456789ABCDEF';

interface Definition {
  id: string;
  title: string;
  regex: RegExp;
  keywords: string[];
  severity?: Severity;
  confidence?: Confidence;
  prefixes?: string[];
  match: string[];
  noMatch: string[];
}

function define(d: Definition): SecretPattern {
  return {
    id: d.id,
    title: d.title,
    regex: d.regex,
    keywords: d.keywords,
    severity: d.severity ?? 'high',
    confidence: d.confidence ?? 'high',
    ...(d.prefixes ? { publicPrefix: prefixOf(...d.prefixes) } : {}),
    samples: { match: d.match, noMatch: d.noMatch },
  };
}

/** `name = value` / `name: value` / `name("value")` after a provider word, for formats without a prefix. */
const assigned = (provider: string, value: string) =>
  new RegExp(
    String.raw`${provider}[\w.-]{0,30}?(?:key|token|secret|client)[\w.-]{0,20}["'\]]*\s*(?:=|:|=>|:=|\()\s*["']?(?<secret>${value})(?![A-Za-z0-9])`,
    'i',
  );

const AI: SecretPattern[] = [
  define({
    id: 'huggingface-token',
    title: 'Hugging Face access token',
    regex: /\b(?:hf_|api_org_)[A-Za-z]{34}(?![A-Za-z0-9])/,
    keywords: ['hf_', 'api_org_'],
    prefixes: ['hf_', 'api_org_'],
    match: [`HF_TOKEN=${fake('hf_', 34, LETTERS, 1)}`, `login(token="${fake('api_org_', 34, LETTERS, 2)}")`],
    noMatch: [fake('hf_', 33, LETTERS, 1), `${fake('hf_', 30, LETTERS, 3)}9876`, 'hf_your_token_here', fake('HF_', 34, LETTERS, 1)],
  }),
  define({
    id: 'replicate-api-token',
    title: 'Replicate API token',
    regex: /\br8_[A-Za-z0-9]{37}(?![A-Za-z0-9])/,
    keywords: ['r8_'],
    prefixes: ['r8_'],
    match: [`REPLICATE_API_TOKEN=${fake('r8_', 37, ALNUM, 1)}`, `replicate.Client(api_token="${fake('r8_', 37, ALNUM, 2)}")`],
    noMatch: [fake('r8_', 36, ALNUM, 1), fake('R8_', 37, ALNUM, 1), 'r8_<your-token>'],
  }),
  define({
    id: 'groq-api-key',
    title: 'Groq API key',
    regex: /\bgsk_[A-Za-z0-9]{52}(?![A-Za-z0-9])/,
    keywords: ['gsk_'],
    prefixes: ['gsk_'],
    match: [`GROQ_API_KEY=${fake('gsk_', 52, ALNUM, 1)}`, `Groq(api_key="${fake('gsk_', 52, ALNUM, 2)}")`],
    noMatch: [fake('gsk_', 51, ALNUM, 1), fake('GSK_', 52, ALNUM, 1), 'gsk_your_key'],
  }),
  define({
    id: 'perplexity-api-key',
    title: 'Perplexity API key',
    regex: /\bpplx-[A-Za-z0-9]{48}(?![A-Za-z0-9])/,
    keywords: ['pplx-'],
    prefixes: ['pplx-'],
    match: [`PERPLEXITY_API_KEY=${fake('pplx-', 48, ALNUM, 1)}`, `"${fake('pplx-', 48, ALNUM, 2)}"`],
    noMatch: [fake('pplx-', 47, ALNUM, 1), fake('PPLX-', 48, ALNUM, 1)],
  }),
  define({
    id: 'cohere-api-key',
    title: 'Cohere API key',
    // Cohere keys carry no prefix: 40 alphanumerics next to the provider's name.
    regex: assigned('cohere', '[A-Za-z0-9]{40}'),
    keywords: ['cohere'],
    confidence: 'medium',
    match: [`COHERE_API_KEY=${fake('', 40, ALNUM, 31)}`, `co = cohere.Client("${fake('', 40, ALNUM, 32)}")`],
    noMatch: [`COHERE_API_KEY=${fake('', 39, ALNUM, 31)}`, `api_key = "${fake('', 40, ALNUM, 33)}"`, 'COHERE_API_KEY=${COHERE_API_KEY}'],
  }),
  define({
    id: 'mistral-api-key',
    title: 'Mistral AI API key',
    // No prefix either: 32 alphanumerics next to the provider's name.
    regex: assigned('mistral', '[A-Za-z0-9]{32}'),
    keywords: ['mistral'],
    confidence: 'medium',
    match: [`MISTRAL_API_KEY=${fake('', 32, ALNUM, 34)}`, `mistralApiKey: "${fake('', 32, ALNUM, 35)}"`],
    noMatch: [`MISTRAL_API_KEY=${fake('', 31, ALNUM, 34)}`, `model = "mistral-large-latest"`, `token = "${fake('', 32, ALNUM, 36)}"`],
  }),
];

const CLOUD: SecretPattern[] = [
  define({
    id: 'azure-ad-client-secret',
    title: 'Azure AD (Entra ID) client secret',
    regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
    keywords: ['q~'],
    severity: 'critical',
    match: [`AZURE_CLIENT_SECRET=${fake('', 3, ALNUM, 1)}8Q~${fake('', 34, `${ALNUM}_~.-`, 2)}`, `"${fake('', 3, ALNUM, 3)}7Q~${fake('', 31, ALNUM, 4)}"`],
    noMatch: [`${fake('', 3, ALNUM, 1)}8Q~${fake('', 30, ALNUM, 2)}`, `${fake('', 3, ALNUM, 1)}8R~${fake('', 34, ALNUM, 2)}`],
  }),
  define({
    id: 'azure-storage-account-key',
    title: 'Azure Storage account key',
    regex: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/,
    keywords: ['accountkey='],
    severity: 'critical',
    match: [
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${fake('', 86, B64, 1)}==;EndpointSuffix=core.windows.net`,
      `"AccountKey=${fake('', 86, B64, 2)}=="`,
    ],
    noMatch: [
      'AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==', // Azurite's published key
      `AccountKey=${fake('', 85, B64, 1)}==`,
      'AccountKey=${AZURE_STORAGE_KEY}',
    ],
  }),
  define({
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud AccessKey ID',
    regex: /(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{20}(?![A-Za-z0-9])/,
    keywords: ['ltai'],
    prefixes: ['LTAI'],
    match: [`ALIBABA_CLOUD_ACCESS_KEY_ID=${fake('LTAI', 20, ALNUM, 1)}`, `"${fake('LTAI', 20, ALNUM, 2)}"`],
    noMatch: [fake('LTAI', 19, ALNUM, 1), fake('LTAI', 21, ALNUM, 1), fake('ltai', 20, ALNUM, 1)],
  }),
  define({
    id: 'aws-bedrock-api-key',
    title: 'Amazon Bedrock API key',
    regex: /(?<![A-Za-z0-9+/])ABSK[A-Za-z0-9+/]{109,269}={0,2}(?![A-Za-z0-9+/=])/,
    keywords: ['absk'],
    severity: 'critical',
    prefixes: ['ABSK'],
    match: [`AWS_BEARER_TOKEN_BEDROCK=${fake('ABSK', 132, B64, 1)}=`, `"${fake('ABSK', 200, B64, 2)}"`],
    noMatch: [fake('ABSK', 100, B64, 1), `x${fake('ABSK', 132, B64, 1)}`],
  }),
  define({
    id: 'digitalocean-token',
    title: 'DigitalOcean token',
    regex: /\bdo[por]_v1_[a-f0-9]{64}(?![A-Za-z0-9])/,
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    severity: 'critical',
    prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    match: [`DIGITALOCEAN_TOKEN=${fake('dop_v1_', 64, HEX, 1)}`, `"${fake('doo_v1_', 64, HEX, 2)}"`],
    noMatch: [fake('dop_v1_', 63, HEX, 1), fake('dox_v1_', 64, HEX, 1), fake('dop_v1_', 64, UPPER_HEX, 1)],
  }),
  define({
    id: 'heroku-api-key',
    title: 'Heroku API key',
    regex: /\bHRKU-AA[0-9A-Za-z_-]{58}(?![\w-])/,
    keywords: ['hrku-aa'],
    prefixes: ['HRKU-AA'],
    match: [`HEROKU_API_KEY=${fake('HRKU-AA', 58, B64URL, 1)}`, `"${fake('HRKU-AA', 58, ALNUM, 2)}"`],
    noMatch: [fake('HRKU-AA', 57, ALNUM, 1), fake('HRKU-AB', 58, ALNUM, 1)],
  }),
  define({
    id: 'google-oauth-client-secret',
    title: 'Google OAuth client secret',
    regex: /\bGOCSPX-[A-Za-z0-9_-]{28}(?![\w-])/,
    keywords: ['gocspx-'],
    prefixes: ['GOCSPX-'],
    match: [`GOOGLE_CLIENT_SECRET=${fake('GOCSPX-', 28, B64URL, 1)}`, `"client_secret": "${fake('GOCSPX-', 28, ALNUM, 2)}"`],
    noMatch: [fake('GOCSPX-', 27, ALNUM, 1), fake('gocspx-', 28, ALNUM, 1), 'GOCSPX-your-client-secret'],
  }),
  define({
    id: 'cloudflare-origin-ca-key',
    title: 'Cloudflare Origin CA key',
    regex: /\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}(?![A-Za-z0-9])/,
    keywords: ['v1.0-'],
    prefixes: ['v1.0-'],
    match: [`CF_ORIGIN_CA_KEY=${fake('v1.0-', 24, HEX, 1)}-${fake('', 146, HEX, 2)}`, `"${fake('v1.0-', 24, HEX, 3)}-${fake('', 146, HEX, 4)}"`],
    noMatch: [`${fake('v1.0-', 24, HEX, 1)}-${fake('', 145, HEX, 2)}`, 'v1.0-beta'],
  }),
  define({
    id: 'vault-token',
    title: 'HashiCorp Vault token',
    regex: /\bhv[sb]\.[A-Za-z0-9_-]{90,120}(?![A-Za-z0-9_-])/,
    keywords: ['hvs.', 'hvb.'],
    prefixes: ['hvs.', 'hvb.'],
    match: [`VAULT_TOKEN=${fake('hvs.', 95, B64URL, 1)}`, `"${fake('hvb.', 110, ALNUM, 2)}"`],
    noMatch: [fake('hvs.', 24, ALNUM, 1), fake('hvx.', 95, ALNUM, 1)],
  }),
  define({
    id: 'terraform-cloud-token',
    title: 'Terraform Cloud API token',
    regex: /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/,
    keywords: ['.atlasv1.'],
    match: [`token = "${fake('', 14, ALNUM, 1)}.atlasv1.${fake('', 67, B64URL, 2)}"`, `TFE_TOKEN=${fake('', 14, ALNUM, 3)}.atlasv1.${fake('', 60, ALNUM, 4)}`],
    noMatch: [`${fake('', 14, ALNUM, 1)}.atlasv1.${fake('', 50, ALNUM, 2)}`, `${fake('', 14, ALNUM, 1)}.atlasv2.${fake('', 67, ALNUM, 2)}`],
  }),
  define({
    id: 'databricks-token',
    title: 'Databricks personal access token',
    regex: /\bdapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9-])/,
    keywords: ['dapi'],
    prefixes: ['dapi'],
    match: [`DATABRICKS_TOKEN=${fake('dapi', 32, HEX, 1)}`, `"${fake('dapi', 32, HEX, 2)}-2"`],
    noMatch: [fake('dapi', 31, HEX, 1), fake('dapi', 32, UPPER_HEX, 1), fake('dapi', 33, HEX, 1)],
  }),
];

const VCS_AND_DEV: SecretPattern[] = [
  define({
    id: 'gitlab-token',
    title: 'GitLab token (pipeline trigger, deploy, runner, feed, OAuth, agent …)',
    regex: /\bgl(?:ptt|dt|rt|cbt|ft|soat|imt|agent|oas)-[A-Za-z0-9_-]{20,80}(?![A-Za-z0-9_-])/,
    keywords: ['glptt-', 'gldt-', 'glrt-', 'glcbt-', 'glft-', 'glsoat-', 'glimt-', 'glagent-', 'gloas-'],
    prefixes: ['glptt-', 'gldt-', 'glrt-', 'glcbt-', 'glft-', 'glsoat-', 'glimt-', 'glagent-', 'gloas-'],
    match: [`CI_TRIGGER_TOKEN=${fake('glptt-', 40, HEX, 1)}`, `"${fake('glrt-', 20, B64URL, 2)}"`],
    noMatch: [fake('glrt-', 19, ALNUM, 1), fake('glxx-', 20, ALNUM, 1), 'glrt-your-runner-token'],
  }),
  define({
    id: 'atlassian-api-token',
    title: 'Atlassian API token',
    regex: /\bATATT3[A-Za-z0-9_=-]{186}(?![A-Za-z0-9_=-])/,
    keywords: ['atatt3'],
    prefixes: ['ATATT3'],
    match: [`JIRA_API_TOKEN=${fake('ATATT3', 186, B64URL, 1)}`, `"${fake('ATATT3', 186, ALNUM, 2)}"`],
    noMatch: [fake('ATATT3', 185, ALNUM, 1), fake('ATATT4', 186, ALNUM, 1)],
  }),
  define({
    id: 'linear-api-key',
    title: 'Linear API key',
    regex: /\blin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9])/,
    keywords: ['lin_api_'],
    prefixes: ['lin_api_'],
    match: [`LINEAR_API_KEY=${fake('lin_api_', 40, ALNUM, 1)}`, `"${fake('lin_api_', 40, ALNUM, 2)}"`],
    noMatch: [fake('lin_api_', 39, ALNUM, 1), fake('lin_apx_', 40, ALNUM, 1)],
  }),
  define({
    id: 'postman-api-key',
    title: 'Postman API key',
    regex: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])/,
    keywords: ['pmak-'],
    prefixes: ['PMAK-'],
    match: [`POSTMAN_API_KEY=${fake('PMAK-', 24, HEX, 1)}-${fake('', 34, HEX, 2)}`, `"${fake('PMAK-', 24, HEX, 3)}-${fake('', 34, HEX, 4)}"`],
    noMatch: [`${fake('PMAK-', 24, HEX, 1)}-${fake('', 33, HEX, 2)}`, `${fake('pmak-', 24, HEX, 1)}-${fake('', 34, HEX, 2)}`],
  }),
  define({
    id: 'doppler-token',
    title: 'Doppler token',
    regex: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])/,
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    prefixes: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    match: [`DOPPLER_TOKEN=${fake('dp.st.', 43, ALNUM, 1)}`, `"${fake('dp.pt.', 40, ALNUM, 2)}"`],
    noMatch: [fake('dp.st.', 39, ALNUM, 1), fake('dp.xx.', 43, ALNUM, 1)],
  }),
  define({
    id: 'grafana-token',
    title: 'Grafana service account or Cloud token',
    regex: /\b(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})(?![A-Za-z0-9+/=_])/,
    keywords: ['glsa_', 'glc_'],
    prefixes: ['glsa_', 'glc_'],
    match: [`GRAFANA_TOKEN=${fake('glsa_', 32, ALNUM, 1)}_${fake('', 8, HEX, 2)}`, `"${fake('glc_', 120, B64, 3)}="`],
    noMatch: [`${fake('glsa_', 31, ALNUM, 1)}_${fake('', 8, HEX, 2)}`, fake('glc_', 20, ALNUM, 3)],
  }),
  define({
    id: 'sentry-token',
    title: 'Sentry auth token',
    regex: /\b(?:sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_-]{60,400})(?![A-Za-z0-9+/=_-])/,
    keywords: ['sntryu_', 'sntrys_'],
    prefixes: ['sntryu_', 'sntrys_'],
    match: [`SENTRY_AUTH_TOKEN=${fake('sntryu_', 64, HEX, 1)}`, `"${fake('sntrys_eyJ', 120, B64URL, 2)}"`],
    noMatch: [fake('sntryu_', 63, HEX, 1), fake('sntrys_abc', 120, ALNUM, 2)],
  }),
  define({
    id: 'new-relic-user-api-key',
    title: 'New Relic user API key',
    regex: /\bNRAK-[A-Z0-9]{27}(?![A-Za-z0-9])/,
    keywords: ['nrak-'],
    prefixes: ['NRAK-'],
    match: [`NEW_RELIC_API_KEY=${fake('NRAK-', 27, UPPER_ALNUM, 1)}`, `"${fake('NRAK-', 27, UPPER_ALNUM, 2)}"`],
    noMatch: [fake('NRAK-', 26, UPPER_ALNUM, 1), fake('NRAK-', 27, LETTERS.toLowerCase(), 1)],
  }),
  define({
    id: 'dynatrace-token',
    title: 'Dynatrace API token',
    regex: /\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}(?![A-Za-z0-9])/,
    keywords: ['dt0c01.'],
    prefixes: ['dt0c01.'],
    match: [
      `DT_API_TOKEN=${fake('dt0c01.', 24, UPPER_ALNUM, 1)}.${fake('', 64, UPPER_ALNUM, 2)}`,
      `"${fake('dt0c01.', 24, UPPER_ALNUM, 3)}.${fake('', 64, UPPER_ALNUM, 4)}"`,
    ],
    noMatch: [
      `${fake('dt0c01.', 24, UPPER_ALNUM, 1)}.${fake('', 63, UPPER_ALNUM, 2)}`,
      `${fake('dt0c02.', 24, UPPER_ALNUM, 1)}.${fake('', 64, UPPER_ALNUM, 2)}`,
    ],
  }),
  define({
    id: 'onepassword-service-account-token',
    title: '1Password service account token',
    regex: /\bops_eyJ[A-Za-z0-9+/]{250,2000}={0,3}(?![A-Za-z0-9+/=])/,
    keywords: ['ops_eyj'],
    prefixes: ['ops_'],
    match: [`OP_SERVICE_ACCOUNT_TOKEN=${fake('ops_eyJ', 300, B64, 1)}`, `"${fake('ops_eyJ', 400, ALNUM, 2)}=="`],
    noMatch: [fake('ops_eyJ', 100, ALNUM, 1), fake('ops_abc', 300, ALNUM, 1)],
  }),
  define({
    id: 'age-secret-key',
    title: 'age secret key',
    regex: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/,
    keywords: ['age-secret-key-1'],
    severity: 'critical',
    prefixes: ['AGE-SECRET-KEY-1'],
    match: [`# created: 2024\n${fake('AGE-SECRET-KEY-1', 58, BECH32, 1)}`, `SOPS_AGE_KEY=${fake('AGE-SECRET-KEY-1', 58, BECH32, 2)}`],
    noMatch: [fake('AGE-SECRET-KEY-1', 57, BECH32, 1), fake('AGE-SECRET-KEY-1', 58, BECH32, 1).toLowerCase()],
  }),
  define({
    id: 'pulumi-access-token',
    title: 'Pulumi access token',
    regex: /\bpul-[a-f0-9]{40}(?![A-Za-z0-9])/,
    keywords: ['pul-'],
    prefixes: ['pul-'],
    match: [`PULUMI_ACCESS_TOKEN=${fake('pul-', 40, HEX, 1)}`, `"${fake('pul-', 40, HEX, 2)}"`],
    noMatch: [fake('pul-', 39, HEX, 1), fake('pul-', 40, UPPER_HEX, 1)],
  }),
  define({
    id: 'rubygems-api-key',
    title: 'RubyGems API key',
    regex: /\brubygems_[a-f0-9]{48}(?![A-Za-z0-9])/,
    keywords: ['rubygems_'],
    prefixes: ['rubygems_'],
    match: [`:rubygems_api_key: ${fake('rubygems_', 48, HEX, 1)}`, `"${fake('rubygems_', 48, HEX, 2)}"`],
    noMatch: [fake('rubygems_', 47, HEX, 1), 'rubygems_api_key'],
  }),
  define({
    id: 'pypi-upload-token',
    title: 'PyPI upload token',
    regex: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,400}(?![A-Za-z0-9_-])/,
    keywords: ['pypi-ageichlwas5vcmc'],
    prefixes: ['pypi-'],
    match: [`password = ${fake('pypi-AgEIcHlwaS5vcmc', 150, B64URL, 1)}`, `TWINE_PASSWORD=${fake('pypi-AgEIcHlwaS5vcmc', 60, ALNUM, 2)}`],
    noMatch: [fake('pypi-AgEIcHlwaS5vcmc', 40, ALNUM, 1), fake('pypi-AgEIcHlwaS5vcmX', 150, ALNUM, 1)],
  }),
  define({
    id: 'planetscale-token',
    title: 'PlanetScale password or token',
    regex: /\bpscale_(?:tkn|oauth|pw)_[A-Za-z0-9=._-]{32,64}(?![A-Za-z0-9=._-])/,
    keywords: ['pscale_'],
    severity: 'critical',
    prefixes: ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'],
    match: [`DATABASE_PASSWORD=${fake('pscale_pw_', 43, B64URL, 1)}`, `"${fake('pscale_tkn_', 43, ALNUM, 2)}"`],
    noMatch: [fake('pscale_pw_', 31, ALNUM, 1), fake('pscale_xx_', 43, ALNUM, 1)],
  }),
];

const PAYMENT_AND_CHAT: SecretPattern[] = [
  define({
    id: 'stripe-webhook-secret',
    title: 'Stripe webhook signing secret',
    regex: /\bwhsec_[A-Za-z0-9+/]{32,100}(?![A-Za-z0-9+/=])/,
    keywords: ['whsec_'],
    prefixes: ['whsec_'],
    match: [`STRIPE_WEBHOOK_SECRET=${fake('whsec_', 32, ALNUM, 1)}`, `constructEvent(body, sig, "${fake('whsec_', 40, B64, 2)}")`],
    noMatch: [fake('whsec_', 31, ALNUM, 1), 'whsec_...'],
  }),
  define({
    id: 'square-token',
    title: 'Square access token or application secret',
    regex: /\bsq0(?:atp|csp)-[0-9A-Za-z_-]{22,43}(?![\w-])/,
    keywords: ['sq0atp-', 'sq0csp-'],
    severity: 'critical',
    prefixes: ['sq0atp-', 'sq0csp-'],
    match: [`SQUARE_ACCESS_TOKEN=${fake('sq0atp-', 22, B64URL, 1)}`, `"${fake('sq0csp-', 43, ALNUM, 2)}"`],
    noMatch: [fake('sq0atp-', 21, ALNUM, 1), fake('sq0idp-', 22, ALNUM, 1)],
  }),
  define({
    id: 'braintree-access-token',
    title: 'PayPal Braintree production access token',
    regex: /\baccess_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}(?![A-Za-z0-9])/,
    keywords: ['access_token$production$'],
    severity: 'critical',
    prefixes: ['access_token$production$'],
    match: [
      `BRAINTREE_TOKEN=${fake('access_token$production$', 16, `${DIGITS}abcdefghijklmnopqrstuvwxyz`, 1)}$${fake('', 32, HEX, 2)}`,
      `"${fake('access_token$production$', 16, HEX, 3)}$${fake('', 32, HEX, 4)}"`,
    ],
    noMatch: [
      `${fake('access_token$sandbox$', 16, HEX, 1)}$${fake('', 32, HEX, 2)}`,
      `${fake('access_token$production$', 16, HEX, 1)}$${fake('', 31, HEX, 2)}`,
    ],
  }),
  define({
    id: 'shopify-token',
    title: 'Shopify access token or shared secret',
    regex: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9])/,
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    match: [`SHOPIFY_ACCESS_TOKEN=${fake('shpat_', 32, HEX, 1)}`, `"${fake('shpss_', 32, HEX, 2)}"`],
    noMatch: [fake('shpat_', 31, HEX, 1), fake('shpxx_', 32, HEX, 1)],
  }),
  define({
    id: 'mailchimp-api-key',
    title: 'Mailchimp API key',
    regex: /(?<![0-9A-Za-z])[0-9a-f]{32}-us[0-9]{1,2}(?![0-9A-Za-z])/,
    keywords: ['-us'],
    confidence: 'medium',
    match: [`MAILCHIMP_API_KEY=${fake('', 32, HEX, 1)}-us21`, `"${fake('', 32, HEX, 2)}-us6"`],
    noMatch: [`${fake('', 31, HEX, 1)}-us21`, `${fake('', 32, HEX, 1)}-eu21`, 'en-us1'],
  }),
  define({
    id: 'sendinblue-api-key',
    title: 'Brevo (Sendinblue) API key',
    regex: /\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}(?![A-Za-z0-9])/,
    keywords: ['xkeysib-'],
    prefixes: ['xkeysib-'],
    match: [`BREVO_API_KEY=${fake('xkeysib-', 64, HEX, 1)}-${fake('', 16, ALNUM, 2)}`, `"${fake('xkeysib-', 64, HEX, 3)}-${fake('', 16, ALNUM, 4)}"`],
    noMatch: [`${fake('xkeysib-', 63, HEX, 1)}-${fake('', 16, ALNUM, 2)}`, `${fake('xsmtpsib-', 64, HEX, 1)}-${fake('', 16, ALNUM, 2)}`],
  }),
  define({
    id: 'slack-app-token',
    title: 'Slack app-level or configuration token',
    regex: /\b(?:xapp-\d-[A-Z0-9]{1,20}-\d{1,20}-[a-z0-9]{10,100}|xoxe(?:\.xox[bp])?-\d-[A-Z0-9]{146,166})(?![A-Za-z0-9-])/,
    keywords: ['xapp-', 'xoxe'],
    prefixes: ['xapp-', 'xoxe.xoxb-', 'xoxe.xoxp-', 'xoxe-'],
    match: [
      `SLACK_APP_TOKEN=xapp-1-${fake('A', 10, UPPER_ALNUM, 1)}-${fake('', 13, DIGITS, 2)}-${fake('', 64, HEX, 3)}`,
      `"xoxe.xoxp-1-${fake('', 160, UPPER_ALNUM, 4)}"`,
    ],
    noMatch: ['xapp-1-your-app-token', `xoxe-1-${fake('', 100, UPPER_ALNUM, 4)}`],
  }),
  define({
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    regex: /\bhttps:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[\w-]{60,68}(?![\w-])/,
    keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    prefixes: ['https://discord.com/api/webhooks/', 'https://discordapp.com/api/webhooks/'],
    match: [
      `DISCORD_WEBHOOK=https://discord.com/api/webhooks/${fake('1', 18, DIGITS, 1)}/${fake('', 68, B64URL, 2)}`,
      `"https://discordapp.com/api/webhooks/${fake('9', 17, DIGITS, 3)}/${fake('', 68, ALNUM, 4)}"`,
    ],
    noMatch: ['https://discord.com/api/webhooks/', `https://discord.com/api/webhooks/${fake('1', 18, DIGITS, 1)}/${fake('', 20, ALNUM, 2)}`],
  }),
  define({
    id: 'microsoft-teams-webhook-url',
    title: 'Microsoft Teams incoming webhook URL',
    regex: /\bhttps:\/\/[a-z0-9-]{1,60}\.webhook\.office\.com\/webhookb2\/[a-z0-9-]{36}@[a-z0-9-]{36}\/IncomingWebhook\/[a-f0-9]{32}\/[a-z0-9-]{36}(?![\w-])/,
    keywords: ['webhook.office.com'],
    match: [
      `TEAMS_WEBHOOK=https://acme.webhook.office.com/webhookb2/${fake('', 36, `${HEX}-`, 1)}@${fake('', 36, `${HEX}-`, 2)}/IncomingWebhook/${fake('', 32, HEX, 3)}/${fake('', 36, `${HEX}-`, 4)}`,
      `"https://contoso.webhook.office.com/webhookb2/${fake('', 36, `${HEX}-`, 5)}@${fake('', 36, `${HEX}-`, 6)}/IncomingWebhook/${fake('', 32, HEX, 7)}/${fake('', 36, `${HEX}-`, 8)}"`,
    ],
    noMatch: ['https://acme.webhook.office.com/webhookb2/', 'https://outlook.office.com/webhook/'],
  }),
  define({
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    regex: /(?<![\d:])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![\w-])/,
    keywords: [':aa'],
    confidence: 'medium',
    match: [`TELEGRAM_BOT_TOKEN=${fake('7', 9, DIGITS, 1)}:AA${fake('', 33, B64URL, 2)}`, `Bot("${fake('5', 7, DIGITS, 3)}:AA${fake('', 33, ALNUM, 4)}")`],
    noMatch: [`${fake('7', 9, DIGITS, 1)}:AA${fake('', 32, ALNUM, 2)}`, `${fake('7', 9, DIGITS, 1)}:AB${fake('', 33, ALNUM, 2)}`],
  }),
];

export const MORE_SECRET_PATTERNS: readonly SecretPattern[] = [...AI, ...CLOUD, ...VCS_AND_DEV, ...PAYMENT_AND_CHAT];
