import type { IncomingMessage, ServerResponse } from 'node:http';
import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { requestIdOf } from '#src/common/request-id.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { serializeError } from '#src/logging/error-serializer.js';
import { LOG_DESTINATION, stdoutDestination } from '#src/logging/log-destination.js';
import { redactedLogPaths } from '#src/logging/redaction.js';

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: LOG_DESTINATION, useFactory: stdoutDestination }],
      inject: [AppConfigService, LOG_DESTINATION],
      useFactory: (config: AppConfigService, logDestination: DestinationStream) => ({
        pinoHttp: [
          {
            level: config.logLevel,
            genReqId: (request: IncomingMessage) => requestIdOf(request),
            redact: { paths: redactedLogPaths, censor: '[redacted]' },
            // Request lines name the request, never its headers (tokens, keys) or body (prompts).
            // The serializers take the raw objects: pino-http would otherwise first copy each request
            // into pino's standard shape (headers, address, port…) — on every request, since the
            // request logger binds it even when no line is written — only for these to keep three fields.
            wrapSerializers: false,
            serializers: {
              req: (request: IncomingMessage & { id?: string }) => ({
                id: request.id,
                method: request.method,
                url: request.url?.split('?')[0],
              }),
              res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
              // Errors by codes and names: a database error's text can quote prompts and answers.
              err: serializeError,
            },
            customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
              error !== undefined || response.statusCode >= 500 ? 'error' : 'info',
            // Liveness probes would drown the log.
            autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health/live' },
          },
          logDestination,
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
