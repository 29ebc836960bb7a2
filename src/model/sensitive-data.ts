/**
 * Names of fields that hold sensitive personal or financial data (SOC2-005). Names are split into lower-case
 * words (`dateOfBirth`, `date_of_birth`, `DOB` → `date_of_birth`, `dob`) and each category matches whole words,
 * so `panel`, `company` or `spanish` never read as a card PAN. Words that say the value is already protected or
 * is not the secret itself (`hash`, `encrypted`, `last4`, `type`) rule a name out.
 */

export type SensitiveCategory =
  | 'ssn'
  | 'tax-id'
  | 'national-id'
  | 'passport'
  | 'driver-licence'
  | 'card-number'
  | 'card-cvv'
  | 'bank-account'
  | 'date-of-birth'
  | 'medical'
  | 'biometric';

export interface SensitiveNamePattern {
  category: SensitiveCategory;
  title: string;
  /** Tested against the name's words joined by `_`. */
  pattern: RegExp;
  samples: { match: string[]; noMatch: string[] };
}

const w = (body: string): RegExp => new RegExp(`(?:^|_)(?:${body})(?:_|$)`);

export const SENSITIVE_NAME_PATTERNS: readonly SensitiveNamePattern[] = [
  {
    category: 'ssn',
    title: 'social security number',
    pattern: w('ssn|social_security(?:_(?:number|no|num))?|socsec'),
    samples: { match: ['ssn', 'SSN', 'customerSsn', 'social_security_number', 'socialSecurityNo'], noMatch: ['session', 'ssnLast4', 'ssn_hash', 'lesson'] },
  },
  {
    category: 'tax-id',
    title: 'tax identifier',
    pattern: w('tax_?id|tax_(?:identification|identifier|number|no)(?:_number)?|tin|taxpayer_id|ein|itin'),
    samples: {
      match: ['taxId', 'tax_id', 'TIN', 'taxIdentificationNumber', 'taxpayer_id', 'taxid'],
      noMatch: ['taxRate', 'tax_amount', 'tinyint', 'einstein', 'tinted'],
    },
  },
  {
    category: 'national-id',
    title: 'national identity number',
    pattern: w('national_(?:id|identity|identification|insurance)(?:_(?:number|no|num))?|aadhaar(?:_number)?|nric|nino|personnummer|cpf'),
    samples: {
      match: ['nationalId', 'national_identity_number', 'aadhaar', 'nationalInsuranceNumber'],
      noMatch: ['nationality', 'nationalHoliday', 'national'],
    },
  },
  {
    category: 'passport',
    title: 'passport number',
    pattern: w('passport_(?:number|no|num|id)|passportno|passportnumber'),
    samples: { match: ['passportNumber', 'passport_no', 'PassportNo', 'passport_id'], noMatch: ['passport', 'passportStrategy', 'passportConfig'] },
  },
  {
    category: 'driver-licence',
    title: "driver's licence number",
    pattern: w('drivers?_licen[cs]e(?:_(?:number|no|num|id))?|driving_licen[cs]e(?:_(?:number|no))?|dl_(?:number|no|num)'),
    samples: { match: ['driverLicense', 'drivers_licence_number', 'drivingLicenceNo', 'dl_number'], noMatch: ['driver', 'licenseKey', 'driverName', 'dlUrl'] },
  },
  {
    category: 'card-number',
    title: 'payment card number',
    pattern: w('(?:credit|debit|payment)?_?card_?(?:number|no|num)|credit_?card|cc_?(?:number|num|no)|pan|card_pan|primary_account_number'),
    samples: {
      match: ['cardNumber', 'card_number', 'creditCard', 'credit_card_number', 'ccNumber', 'pan', 'PAN', 'cc_num', 'creditcard'],
      noMatch: ['cardType', 'cardLast4', 'card_brand', 'panel', 'company', 'giftCardCode', 'cardholderName', 'creditCardToken', 'span', 'pan_transfer_steps'],
    },
  },
  {
    category: 'card-cvv',
    title: 'card security code',
    pattern: w('cvv2?|cvc2?|cvn|card_?(?:security|verification)_?(?:code|value)|csc'),
    samples: { match: ['cvv', 'CVV', 'card_cvv', 'cvc', 'cardSecurityCode'], noMatch: ['cv', 'cvFile', 'csv'] },
  },
  {
    category: 'bank-account',
    title: 'bank account number',
    pattern: w(
      'bank_?account(?:_(?:number|no|num))?|account_?(?:number|no|num)|acct_?(?:number|no|num)|iban|routing_?(?:number|no|num)|aba_(?:number|routing)|sort_?code',
    ),
    samples: {
      match: ['bankAccount', 'bank_account_number', 'accountNumber', 'IBAN', 'iban', 'routingNumber', 'sortCode'],
      noMatch: ['accountId', 'account', 'bankName', 'accountType', 'routing', 'sortOrder'],
    },
  },
  {
    category: 'date-of-birth',
    title: 'date of birth',
    pattern: w('dob|date_of_birth|birth_?date|birth_?day|born_on'),
    samples: { match: ['dob', 'dateOfBirth', 'date_of_birth', 'birthDate', 'birthdate', 'birthday'], noMatch: ['doBatch', 'birthPlace', 'adobe'] },
  },
  {
    category: 'medical',
    title: 'medical information',
    pattern: w(
      'diagnos[ie]s|medical_?(?:record|history|condition|notes?|data|info)s?|health_?(?:record|condition|data)s?|mrn|prescriptions?|medications?|allerg(?:y|ies)',
    ),
    samples: {
      match: ['diagnosis', 'medicalRecord', 'medical_history', 'healthConditions', 'mrn', 'prescription'],
      noMatch: ['health', 'healthCheck', 'medicalCenterName', 'diagnosticsUrl'],
    },
  },
  {
    category: 'biometric',
    title: 'biometric data',
    pattern: w(
      'biometrics?(?:_[a-z]+)?|fingerprint_(?:template|image|data|scan)|face_?(?:print|embedding|template|encoding)|iris_?(?:scan|template)|retina_?scan|voice_?print',
    ),
    samples: {
      match: ['biometric', 'biometricData', 'fingerprintTemplate', 'face_embedding', 'voiceprint'],
      noMatch: ['fingerprint', 'deviceFingerprint', 'faceValue', 'voice'],
    },
  },
];

/** Words that say the value is protected, partial or not the data itself. */
const NOT_THE_VALUE = new Set([
  'hash',
  'hashed',
  'digest',
  'encrypted',
  'enc',
  'encryption',
  'cipher',
  'ciphertext',
  'crypted',
  'masked',
  'mask',
  'last4',
  'last',
  'token',
  'tokenized',
  'type',
  'brand',
  'verified',
  'status',
  'format',
  'country',
  'issuer',
  'length',
  'regex',
  'pattern',
  'label',
  'placeholder',
  'field',
  'column',
  'valid',
  'required',
  'url',
  'id_type',
  'expiry',
  'exp',
  'holder',
  'name',
  'rate',
  'amount',
  // A process about the data, not the data: `pan_transfer_steps` (a checklist for moving card data).
  'steps',
  'step',
  'transfer',
]);

/** `dateOfBirth` / `date_of_birth` / `DATE-OF-BIRTH` / `cardLast4` → ['date','of','birth'] … ['card','last4']. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-zA-Z])(\d)(?!\d*[a-zA-Z])/g, '$1$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export interface SensitiveNameOptions {
  /** Extra names (matched as whole words, case-insensitive) treated as sensitive. */
  extraNames?: readonly string[];
  /** Names never treated as sensitive. */
  ignoreNames?: readonly string[];
}

export interface SensitiveMatch {
  category: SensitiveCategory | 'custom';
  title: string;
}

/** The sensitive-data category a field or variable name stands for, or null. */
export function classifySensitiveName(name: string, options: SensitiveNameOptions = {}): SensitiveMatch | null {
  const lower = name.toLowerCase();
  if (options.ignoreNames?.some((n) => n.toLowerCase() === lower)) return null;
  const words = nameWords(name);
  if (words.length === 0) return null;
  if (options.extraNames?.some((n) => n.toLowerCase() === lower || words.join('_') === nameWords(n).join('_'))) {
    return { category: 'custom', title: 'configured sensitive field' };
  }
  if (words.some((word) => NOT_THE_VALUE.has(word))) return null;
  const joined = words.join('_');
  for (const p of SENSITIVE_NAME_PATTERNS) if (p.pattern.test(joined)) return { category: p.category, title: p.title };
  return null;
}

/** Reads `sensitiveNames` / `ignoreNames` from a rule's options (`.complianceagent.yml`). */
export function sensitiveNameOptions(options: Record<string, unknown>): SensitiveNameOptions {
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  const out: SensitiveNameOptions = {};
  const extra = list(options.sensitiveNames);
  const ignore = list(options.ignoreNames);
  if (extra) out.extraNames = extra;
  if (ignore) out.ignoreNames = ignore;
  return out;
}

/** Password-like names (`password`, `newPassword`, `passwd`, `pwd`), not their hashes, rules or reset tokens. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass', 'pw']);
const PASSWORD_NOT = new Set([
  'hash',
  'hashed',
  'digest',
  'reset',
  'token',
  'length',
  'policy',
  'rules',
  'strength',
  'expires',
  'expiry',
  'expired',
  'changed',
  'valid',
  'min',
  'max',
  'regex',
  'field',
  'label',
  'hint',
  'enc',
  'encrypted',
  'salt',
  'at',
  'required',
  'error',
  'errors',
  'message',
  'input',
  'visible',
  'show',
  'hidden',
  'type',
  'manager',
  'form',
  'screen',
]);

export const PASSWORD_NAME_SAMPLES = {
  match: ['password', 'newPassword', 'user_password', 'passwd', 'pwd', 'confirmPassword', 'PASSWORD'],
  noMatch: ['passwordHash', 'password_hash', 'passwordResetToken', 'passwordLength', 'passport', 'bypass', 'compass', 'hashedPassword', 'showPassword'],
};

export function isPasswordName(name: string): boolean {
  const words = nameWords(name);
  if (words.some((x) => PASSWORD_NOT.has(x))) return false;
  return words.some((x) => PASSWORD_WORDS.has(x));
}
