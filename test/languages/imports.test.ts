import { expect, it } from 'vitest';
import { extractJavaScript } from '../../src/languages/javascript/extract.js';
import { extractPython } from '../../src/languages/python/extract.js';

it('reads JS/TS imports and requires', () => {
  const src = [
    "import express, { Router as R } from 'express';",
    "import * as jwt from 'jsonwebtoken';",
    "import './polyfill';",
    "const session = require('express-session');",
    "const { hash, compare: cmp } = require('bcrypt');",
    "const Pool = require('pg').Pool;",
    "const notAnImport = load('x');",
  ].join('\n');
  expect(extractJavaScript('a.ts', 'typescript', src).facts.imports).toEqual([
    {
      module: 'express',
      names: [
        { local: 'express', imported: 'default' },
        { local: 'R', imported: 'Router' },
      ],
      line: 1,
    },
    { module: 'jsonwebtoken', names: [{ local: 'jwt', imported: '*' }], line: 2 },
    { module: './polyfill', names: [], line: 3 },
    { module: 'express-session', names: [{ local: 'session', imported: '*' }], line: 4 },
    {
      module: 'bcrypt',
      names: [
        { local: 'hash', imported: 'hash' },
        { local: 'cmp', imported: 'compare' },
      ],
      line: 5,
    },
    { module: 'pg', names: [{ local: 'Pool', imported: 'Pool' }], line: 6 },
  ]);
});

it('reads Python imports, relative ones with their dots', async () => {
  const src = [
    'import os',
    'import os.path as osp, json',
    'from django.contrib.auth.decorators import login_required, permission_required as perm',
    'from . import views',
    'from .routers import users as user_routes',
    'from models import *',
  ].join('\n');
  expect((await extractPython('a.py', src)).facts.imports).toEqual([
    { module: 'os', names: [{ local: 'os', imported: '*' }], line: 1 },
    { module: 'os.path', names: [{ local: 'osp', imported: '*' }], line: 2 },
    { module: 'json', names: [{ local: 'json', imported: '*' }], line: 2 },
    {
      module: 'django.contrib.auth.decorators',
      names: [
        { local: 'login_required', imported: 'login_required' },
        { local: 'perm', imported: 'permission_required' },
      ],
      line: 3,
    },
    { module: '.', names: [{ local: 'views', imported: 'views' }], line: 4 },
    { module: '.routers', names: [{ local: 'user_routes', imported: 'users' }], line: 5 },
    { module: 'models', names: [{ local: '*', imported: '*' }], line: 6 },
  ]);
});
