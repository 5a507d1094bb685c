// Jest (before Node 24.9) cannot require() an ES module, though Node 20.19 can. A few CommonJS packages we
// use (mercurius -> @fastify/static) require ESM-only dependencies; this compiles just those to CommonJS.
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
};
