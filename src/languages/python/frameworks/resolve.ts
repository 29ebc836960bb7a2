import type { FileFacts } from '../../../model/facts.js';
import type { Endpoint, HttpApp } from '../../../model/endpoints.js';
import { markPublicByDesign } from '../../../model/endpoint-public.js';
import { stringConstants } from './common.js';
import { DjangoResolver } from './django.js';
import { FastApiResolver } from './fastapi.js';
import { FlaskResolver } from './flask.js';
import { PyModules } from './modules.js';
import { RestxResolver } from './restx.js';

/** Every FastAPI, Flask and Django endpoint and app of the project, with prefixes and guards resolved across files. */
export function resolvePythonEndpoints(files: readonly FileFacts[]): { endpoints: Endpoint[]; apps: HttpApp[] } {
  if (!files.some((f) => f.pyRoutes)) return { endpoints: [], apps: [] };
  const modules = new PyModules(files);
  const constants = stringConstants(modules);
  const fastapi = new FastApiResolver(modules, constants);
  const flask = new FlaskResolver(modules, constants);
  const django = new DjangoResolver(modules, constants);
  const restx = new RestxResolver(modules, constants, flask);
  const endpoints = [...fastapi.endpoints(), ...flask.endpoints(), ...restx.endpoints(), ...django.endpoints()];
  markPublicByDesign(endpoints);
  return {
    endpoints,
    apps: [...fastapi.apps(), ...flask.apps(), ...django.apps()],
  };
}
