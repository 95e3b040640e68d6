// Compiles the backend with tsc's own API plus the @nestjs/swagger plugin, which documents DTOs in
// OpenAPI from their class-validator rules and doc comments (what `nest build` does, without the
// Nest CLI). Type errors fail the build, as with `tsc`.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const swaggerPlugin = require('@nestjs/swagger/plugin');
export const swaggerPluginOptions = {
  introspectComments: true,
  classValidatorShim: true,
  dtoFileNameSuffix: ['.dto.ts'],
};

const configPath = ts.findConfigFile(process.cwd(), ts.sys.fileExists, 'tsconfig.build.json');
const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(config, ts.sys, process.cwd());
// A clean output folder: a file removed from src/ must not live on in dist/ and be loaded from there.
rmSync(parsed.options.outDir, { recursive: true, force: true });
const program = ts.createProgram(parsed.fileNames, parsed.options);
const result = program.emit(undefined, undefined, undefined, false, {
  before: [swaggerPlugin.before(swaggerPluginOptions, program)],
});
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
if (diagnostics.length > 0) {
  const host = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: ts.sys.getCurrentDirectory,
    getNewLine: () => '\n',
  };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}
