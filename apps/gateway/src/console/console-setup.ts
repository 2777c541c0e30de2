import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import { assetManifest, CONSOLE_FILES } from './console-files';
import {
  CASE_STATUS_WORDS,
  dateTimeWords,
  DELIVERY_WORDS,
  dueInWords,
  HANDLING_WORDS,
  PRIORITY_SHORT,
  PRIORITY_WORDS,
  ROLE_NAMES,
  TYPE_WORDS,
} from './console-words';

/**
 * The console's pages and files: Nunjucks through @fastify/view, with autoescaping on (anything a person or
 * partner wrote is shown as text, never markup) and the GOV.UK and MoJ macros on its search path; the built
 * assets under /console/assets/, kept by browsers for a year since their names carry their content's hash.
 */
export async function configureConsole(fastify: FastifyInstance): Promise<void> {
  const assets = assetManifest();
  // A filter form sends its empty choices ("Any") as empty values; on console pages they mean no filter.
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (request.url.startsWith('/console') && request.query && typeof request.query === 'object')
      for (const [name, value] of Object.entries(request.query as Record<string, unknown>))
        if (value === '') delete (request.query as Record<string, unknown>)[name];
    done();
  });
  await fastify.register(fastifyView, {
    engine: { nunjucks },
    templates: [CONSOLE_FILES.views, CONSOLE_FILES.govuk, CONSOLE_FILES.moj],
    production: true,
    options: {
      autoescape: true,
      throwOnUndefined: false,
      onConfigure: (env: nunjucks.Environment) => {
        env.addGlobal('asset', (name: string) => `/console/assets/${assets[name] ?? name}`);
        env.addFilter('dateTime', dateTimeWords);
        env.addFilter('dueIn', (value: Date | string | null) => (value ? dueInWords(new Date(value)) : ''));
        env.addFilter('isPast', (value: Date | string | null) =>
          value ? new Date(value).getTime() < Date.now() : false,
        );
        env.addFilter('number', (value: number) => value.toLocaleString('en-GB'));
        env.addGlobal('words', {
          role: ROLE_NAMES,
          handling: HANDLING_WORDS,
          priority: PRIORITY_WORDS,
          priorityShort: PRIORITY_SHORT,
          type: TYPE_WORDS,
          delivery: DELIVERY_WORDS,
          caseStatus: CASE_STATUS_WORDS,
        });
      },
    },
  });
  await fastify.register(fastifyStatic, {
    root: CONSOLE_FILES.assets,
    prefix: '/console/assets/',
    decorateReply: false,
    index: false,
    list: false,
    cacheControl: false,
  });
  // Every response is no-store unless it says otherwise (security-headers.ts); assets may be kept. A page says
  // how long the gateway took to make it (Server-Timing), which developer tools and bench:console read.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/console') && !request.url.startsWith('/console/assets/')) {
      const timing = reply.getHeader('server-timing');
      const total = `app;dur=${reply.elapsedTime.toFixed(1)}`;
      void reply.header('server-timing', timing ? `${String(timing)}, ${total}` : total);
    }
    if (request.url.startsWith('/console/assets/') && reply.statusCode === 200) {
      const hashed = /\.[0-9a-f]{12}\.\w+$/.test(request.url);
      void reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    }
    done(null, payload);
  });
}
