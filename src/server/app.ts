// buildApp(deps): the platform plugins, then one plugin per module. No listening, no jobs: main.ts
// (and the test harness) decide what runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerAuth } from './platform/auth.js';
import { registerReadOnly } from './platform/read-only.js';
import type { Deps } from './platform/context.js';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from './platform/errors.js';
import { registerInputGuards } from './platform/input.js';
import { createMetrics } from './platform/metrics.js';
import { MODULES } from './modules/index.js';

import { VERSION } from './version.js';

export interface BuildOptions {
  /** Directory of the built web client; served with an index.html fallback when present. */
  webDir?: string | null;
}

export async function buildApp(deps: Deps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as unknown as FastifyBaseLogger,
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    logController: new LogController({ disableRequestLogging: deps.config.logLevel !== 'debug' && deps.config.logLevel !== 'trace' }),
    routerOptions: { ignoreTrailingSlash: true },
    // Errors raised before a route is found, or by Node's HTTP parser, answer in the API's shape too.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerInputGuards(app);

  const metrics = createMetrics();
  metrics.install(app);
  app.decorate('metrics', metrics);

  await app.register(fastifyCookie, { secret: deps.config.sessionSecret });
  await app.register(fastifyMultipart, { limits: { fileSize: deps.config.uploadLimitBytes, files: 5, fields: 20 } });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  registerAuth(app, deps.database, deps.config, deps.authCache);
  registerReadOnly(app, deps);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Steward API', version: VERSION, description: 'Everything the Steward web client does, as JSON over HTTP.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'steward_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Plugin-provided pages (API docs, the web client) are public by declaration.
  await app.register(async (pub) => {
    pub.addHook('onRoute', (route) => {
      route.config ??= {} as never;
      (route.config as { access?: string }).access = 'public';
    });
    await pub.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
    const webDir = options.webDir === undefined ? path.resolve('dist/web') : options.webDir;
    if (webDir && existsSync(path.join(webDir, 'index.html'))) {
      // Built files carry a content hash in their name, so browsers may keep them for good.
      pub.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode === 200 && request.url.startsWith('/assets/'))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        return payload;
      });
      // The build writes .br/.gz siblings (vite.config.ts), sent to browsers that accept them.
      await pub.register(fastifyStatic, {
        root: webDir,
        wildcard: false,
        maxAge: '1h',
        index: false,
        preCompressed: true,
        setHeaders: (res) => res.setHeader('vary', 'accept-encoding'),
      });
      // Client-side routes get the app shell; unknown API paths stay JSON 404s.
      pub.get('/*', { schema: { hide: true } }, (request, reply) => {
        const pathName = request.url.split('?')[0];
        // API paths, built assets and anything that looks like a file stay 404s: only page routes get the shell.
        if (pathName.startsWith('/api/') || /\.[a-z0-9]{1,8}$/i.test(pathName)) {
          return reply.code(404).send({ error: { code: 'not_found', message: 'No such route', details: {} } });
        }
        // The shell always revalidates: it names the current build's files.
        return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
      });
    }
  });

  for (const mod of MODULES) await app.register(mod, { deps });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ReturnType<typeof createMetrics>;
  }
}
