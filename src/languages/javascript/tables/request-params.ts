/**
 * When a parameter named `request` is an HTTP request (SOC2-004's `request.body`, `request.path` sources).
 * `req` and `ctx` are taken as requests wherever they are read, but `request` is also the name of a resolver's,
 * a queue's or an HTTP client's request object (enhanced-resolve's plugins: `tapAsync(name, (request,
 * resolveContext, callback) => fs.stat(request.path, …))`). A function declaring a `request` parameter reads an
 * HTTP request when one of these says so: its file imports an HTTP server framework, a sibling parameter is a
 * response or handler toolkit, the parameter's type is a request type, the function is named as a handler, or
 * it is passed to a route registration. Each entry proves itself with samples (test/flow/tables.test.ts).
 */

export interface RequestParamEntry {
  id: string;
  pattern: RegExp;
  must: string[];
  mustNot: string[];
}

export const REQUEST_PARAM_EVIDENCE = {
  /** A module whose import makes the file an HTTP server's (its `request` parameters are requests). */
  serverModule: {
    id: 'http-server-module',
    pattern:
      /^(?:express|fastify|fastify-plugin|koa|koa-router|@koa\/router|@hapi\/hapi|hapi|restify|hono|@hono\/[\w-]+|h3|polka|micro|connect|elysia|itty-router|@nestjs\/[\w-]+|next(?:\/[\w/-]+)?|@remix-run\/[\w-]+|@sveltejs\/kit|@vercel\/node|@netlify\/functions|@azure\/functions|@google-cloud\/functions-framework|firebase-functions(?:\/[\w/-]+)?|@trpc\/server|@apollo\/server|apollo-server(?:-[\w-]+)?|graphql-yoga|serverless-http)$/,
    must: ['express', 'fastify', '@hapi/hapi', 'next/server', '@nestjs/common', '@remix-run/node', 'firebase-functions/v2/https', 'hono'],
    mustNot: ['enhanced-resolve', 'tapable', 'request', 'axios', 'node-fetch', 'undici', 'http', 'microsoft', 'next-auth', 'express-validator'],
  },
  /** Another parameter of the same function: a response, a reply or a handler toolkit (`(request, h)`). */
  siblingParam: {
    id: 'handler-sibling',
    pattern: /^(?:res|resp|response|reply|h|toolkit|next|ctx|context|env)$/,
    must: ['res', 'response', 'reply', 'h', 'next', 'context', 'env'],
    mustNot: ['resolveContext', 'callback', 'cb', 'options', 'resolver', 'done'],
  },
  /** The last name of the parameter's declared type (`request: NextRequest`, `request: express.Request`). */
  requestType: {
    id: 'request-type',
    pattern: /^(?:Request|NextRequest|NextApiRequest|FastifyRequest|IncomingMessage|HttpRequest|ServerRequest|RequestEvent|H3Event|HonoRequest)$/,
    must: ['Request', 'NextRequest', 'FastifyRequest', 'IncomingMessage', 'HttpRequest'],
    mustNot: ['ResolveRequest', 'RequestOptions', 'ClientRequest', 'AxiosRequestConfig', 'JobRequest'],
  },
  /** The function's own name: a Next.js route export, a Lambda/Netlify `handler`, a worker's `fetch`, Remix `loader`. */
  handlerName: {
    id: 'handler-name',
    pattern: /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|handler|handle|fetch|middleware|loader|action)$/,
    must: ['GET', 'POST', 'handler', 'fetch', 'middleware', 'loader'],
    mustNot: ['get', 'apply', 'resolve', 'tapAsync', 'send', 'request'],
  },
  /** The method a function is passed to as a route's handler (`router.get('/x', (request) => …)`). */
  routeMethod: {
    id: 'route-method',
    pattern: /^(?:get|post|put|patch|delete|del|head|options|all|route|handle|handler)$/,
    must: ['get', 'post', 'delete', 'all', 'route'],
    mustNot: ['tapAsync', 'tap', 'on', 'then', 'map', 'forEach', 'use'],
  },
} satisfies Record<string, RequestParamEntry>;
