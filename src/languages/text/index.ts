import { importOnce, type LanguagePlugin } from '../plugin.js';

/**
 * Extensions of formats that are binary by definition (images, fonts, archives, media, compiled code, office
 * documents, databases): not text, so neither listed nor reported, as before there was a text pass. Any other
 * file is read, and one whose head holds a NUL byte is reported as a skipped binary file.
 */
const BINARY_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'png jpg jpeg gif bmp ico icns webp tif tiff psd heic avif cur ' +
    'woff woff2 ttf otf eot ' +
    'zip gz tgz bz2 xz 7z rar zst jar war ear whl egg apk ipa dmg iso deb rpm ' +
    'pdf doc docx xls xlsx ppt pptx odt ods odp ' +
    'mp3 mp4 m4a wav ogg oga webm mov avi mkv flac ' +
    'pyc pyo class o obj so dylib dll exe bin a lib wasm node ' +
    'db sqlite sqlite3 mdb parquet pkl npy npz h5 onnx pt'
  )
    .split(' ')
    .map((ext) => `.${ext}`),
);

const loadExtract = importOnce(() => import('./extract.js'));

/**
 * Every other text file: `.txt`, `.pem`/`.key`, extension-less key files, `.go`, `.php`, `.java`, `.rb`, `.cs`, `.sh`,
 * Terraform, `.env.example` … get the provider-pattern pass of SOC2-002 (provider formats, PEM private keys,
 * connection-string passwords), like gitleaks does, and nothing else: no parser, no framework, no name-based guess.
 * Last in the registry, it takes whatever no other plugin detects; discovery still skips binary files and lockfiles.
 */
export const text: LanguagePlugin = {
  id: 'text',
  languages: ['text'],
  detect: (lowerName) => {
    const dot = lowerName.lastIndexOf('.');
    if (lowerName === '.git') return null; // a worktree's pointer to its git directory
    return dot >= 0 && BINARY_EXTENSIONS.has(lowerName.slice(dot)) ? null : 'text';
  },
  features: ['provider-secrets'],
  load: async () => {
    await loadExtract();
  },
  extract: async (path, _language, source) => ({ facts: (await loadExtract()).extractText(path, source), syntaxErrors: [], faults: [] }),
};
